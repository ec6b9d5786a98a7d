package bench.driver;

import io.vertx.core.json.JsonArray;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** PNG charts of the results (JFreeChart, headless). */
final class Charts {

    static final int WIDTH = 900;
    static final int HEIGHT = 480;
    static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
        new Color(0x9467bd), new Color(0x8c564b)};

    private Charts() {}

    /**
     * Latency by percentile, HdrHistogram style: the x axis is 1/(1 - percentile) on a log scale, so
     * 90%, 99%, 99.9% are equally spaced and the tail gets the room it deserves; "max" sits one decade
     * after the last percentile.
     */
    static void percentiles(Path file, String title, String subtitle, Map<String, JsonArray> distributions, Double limitMs)
            throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        double maxX = 10;
        for (Map.Entry<String, JsonArray> e : distributions.entrySet()) {
            XYSeries s = new XYSeries(e.getKey(), false, true);
            double lastX = 1;
            for (int i = 0; i < e.getValue().size(); i++) {
                JsonArray point = e.getValue().getJsonArray(i);
                double p = point.getDouble(0);
                double ms = Math.max(0.01, point.getDouble(1));
                double x = p >= 100 ? lastX * 10 : 1.0 / (1.0 - p / 100.0);
                s.add(x, ms);
                lastX = x;
            }
            maxX = Math.max(maxX, lastX);
            data.addSeries(s);
        }
        LogAxis x = new LogAxis("percentile");
        x.setBase(10);
        x.setTickUnit(new NumberTickUnit(1));
        x.setRange(1, Math.max(100, maxX));
        x.setNumberFormatOverride(new PercentileFormat());
        LogAxis y = new LogAxis("latency (ms, log scale)");
        y.setBase(10);
        y.setTickUnit(new NumberTickUnit(1));
        y.setMinorTickMarksVisible(true);
        y.setSmallestValue(0.01);
        y.setNumberFormatOverride(new DecimalFormat("0.###"));
        XYPlot plot = new XYPlot(data, x, y, renderer(true));
        if (limitMs != null) {
            ValueMarker m = new ValueMarker(limitMs, Color.GRAY, new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER,
                    10, new float[] {6, 4}, 0));
            m.setLabel(limitMs + " ms");
            plot.addRangeMarker(m);
        }
        save(file, title, subtitle, plot);
    }

    /** Several series over time (x: seconds), e.g. answers per second; optional second series set on a right axis. */
    static void overTime(Path file, String title, String subtitle, String yLabel, Map<String, double[][]> series,
                         String rightLabel, Map<String, double[][]> right) throws IOException {
        XYSeriesCollection data = collection(series);
        NumberAxis x = new NumberAxis("time (s)");
        NumberAxis y = new NumberAxis(yLabel);
        y.setAutoRangeIncludesZero(true);
        XYPlot plot = new XYPlot(data, x, y, renderer(false));
        if (right != null && !right.isEmpty()) {
            LogAxis r = new LogAxis(rightLabel);
            r.setSmallestValue(0.01);
            r.setNumberFormatOverride(new DecimalFormat("0.###"));
            plot.setRangeAxis(1, r);
            plot.setDataset(1, collection(right));
            plot.mapDatasetToRangeAxis(1, 1);
            XYLineAndShapeRenderer rr = renderer(false);
            for (int i = 0; i < right.size(); i++) {
                rr.setSeriesPaint(i, COLORS[(i + series.size()) % COLORS.length]);
                rr.setSeriesStroke(i, new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {3, 3}, 0));
            }
            plot.setRenderer(1, rr);
        }
        save(file, title, subtitle, plot);
    }

    /** y against x for a few series (e.g. p99 against offered rate), log y. */
    static void xy(Path file, String title, String subtitle, String xLabel, String yLabel, Map<String, double[][]> series,
                   Double limit) throws IOException {
        NumberAxis x = new NumberAxis(xLabel);
        LogAxis y = new LogAxis(yLabel);
        y.setTickUnit(new NumberTickUnit(1));
        y.setMinorTickMarksVisible(true);
        y.setSmallestValue(0.01);
        y.setNumberFormatOverride(new DecimalFormat("0.###"));
        XYPlot plot = new XYPlot(collection(series), x, y, renderer(true));
        if (limit != null) {
            ValueMarker m = new ValueMarker(limit, Color.GRAY, new BasicStroke(1.5f));
            m.setLabel("limit " + limit + " ms");
            plot.addRangeMarker(m);
        }
        save(file, title, subtitle, plot);
    }

    static XYSeriesCollection collection(Map<String, double[][]> series) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Map.Entry<String, double[][]> e : series.entrySet()) {
            XYSeries s = new XYSeries(e.getKey(), false, true);
            for (double[] p : e.getValue()) {
                s.add(p[0], p[1]);
            }
            data.addSeries(s);
        }
        return data;
    }

    static XYLineAndShapeRenderer renderer(boolean shapes) {
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, shapes);
        for (int i = 0; i < COLORS.length; i++) {
            r.setSeriesPaint(i, COLORS[i]);
            r.setSeriesStroke(i, new BasicStroke(2f));
        }
        return r;
    }

    static void save(Path file, String title, String subtitle, XYPlot plot) throws IOException {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdddddd));
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        if (subtitle != null) {
            chart.addSubtitle(new TextTitle(subtitle));
        }
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
    }

    static Map<String, double[][]> map() {
        return new LinkedHashMap<>();
    }

    /** Labels 1/(1-p) as the percentile p. */
    static final class PercentileFormat extends NumberFormat {
        @Override
        public StringBuffer format(double v, StringBuffer to, FieldPosition pos) {
            double p = 100.0 * (1.0 - 1.0 / v);
            return to.append(p <= 0 ? "0%" : new DecimalFormat("0.####").format(p) + "%");
        }

        @Override
        public StringBuffer format(long v, StringBuffer to, FieldPosition pos) {
            return format((double) v, to, pos);
        }

        @Override
        public Number parse(String source, ParsePosition pos) {
            return null;
        }
    }
}
