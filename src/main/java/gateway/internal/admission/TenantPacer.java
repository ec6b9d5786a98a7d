package gateway.internal.admission;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * How fast each shop may start requests at one cell (ADR 0019): a rate per shop that starts low for a
 * shop it has not seen lately and then follows what the shop's neighbours feel.
 *
 * <p>A shop's requests are paced by the generic cell rate algorithm: a theoretical arrival time per
 * shop that each started request moves on by one interval of the shop's rate; a request may start while
 * that time is at most the burst tolerance ahead of now ({@link #BURST_SECONDS} of the rate, at least
 * {@link #MIN_BURST} requests). A request that may not start yet marks its shop as <em>held</em> in the
 * current window.
 *
 * <p>At the end of each window the light requests' latency is judged: those of shops that started them
 * without any debt to their rate (the caller adds: with few in flight). Their 90th percentile is
 * compared with its usual level (a moving average over the windows that were not congested, a fifth
 * per window, rising by a tenth per window once {@link #STALE_WINDOWS} windows passed without one).
 * Fewer light requests than a window needs are kept and judged with the next windows' ones (over at
 * most {@link #MAX_SPARSE_WINDOWS}); two windows in a row without any mean nobody is there to protect,
 * and a shop not seen lately then starts without a limit. A shop's own light requests never judge its
 * own pace (a shop whose only light requests are its own has nobody to protect). Each shop held in the
 * window then gets:
 * <ul>
 *   <li>congested (at the ratio or above): {@code calm / ratio} (between a quarter and nine tenths) of
 *       the rate it used, never below the minimum rate;</li>
 *   <li>calm (below the calm ratio): growth by {@link #GROWTH_MAX} when the light requests' latency is
 *       at its usual level, down to {@link #GROWTH_MIN} at the calm ratio;</li>
 *   <li>nobody to protect: growth by {@link #GROWTH_ALONE};</li>
 *   <li>in between, or light requests kept for later: no change.</li>
 * </ul>
 * Where there are neighbours, the held shop's own latency counts as well (the mean of its requests in
 * the window against the lowest mean seen, creeping up by a fiftieth per window): at
 * {@link #OWN_CONGESTED} times or more the shop is over what the cell has left and its rate falls in
 * proportion, at three quarters of that it does not grow.
 * A shop that was not held keeps at most twice the rate it used (at least the starting rate), so that a
 * rate earned long ago is not spent at once in a later surge. A shop without debt that sent nothing in
 * the window, or is at the starting rate or below it and was not held, is forgotten: memory follows the
 * shops that are busy.
 *
 * <p>Not thread-safe: the cell's limiter calls it under its own monitor. Time is the caller's clock in
 * nanoseconds, so unit tests drive it.
 */
final class TenantPacer {

    private static final Logger LOG = Logger.getLogger(TenantPacer.class);

    /** At most this many light latencies are kept per window (the later ones replace earlier ones). */
    static final int MAX_SAMPLES = 512;
    /** Windows without a calm one after which the usual latency starts to rise. */
    static final int STALE_WINDOWS = 60;
    /** The burst a shop may start at once, in seconds of its rate. */
    static final double BURST_SECONDS = 0.1;
    /** And at least this many requests. */
    static final int MIN_BURST = 10;
    /** Light requests too few for a window are judged with the next ones', over at most this many windows. */
    static final int MAX_SPARSE_WINDOWS = 4;
    /** A held shop whose own requests take this many times their usual latency is cut, whatever the light requests say. */
    static final double OWN_CONGESTED = 2;
    /** The requests of a shop a window needs for its own latency to say anything. */
    static final int OWN_MIN_SAMPLES = 10;
    /** A calm window's growth of a held shop's rate: at the usual latency, and at the calm ratio. */
    static final double GROWTH_MAX = 1.2;
    static final double GROWTH_MIN = 1.02;
    /** The growth of a held shop's rate per window while nobody light is there to protect. */
    static final double GROWTH_ALONE = 2;

    /** What a window's light requests said. */
    enum Verdict { CONGESTED, STEADY, CALM, NOBODY }

    private static final class Pace {
        double rate;
        long tat;
        int started;
        boolean held;
        long ownNanos;
        int ownCount;
        /** The shop's own usual latency (a window's mean at its lowest, creeping up); -1 before the first. */
        double ownUsual = -1;

        Pace(double rate, long now) {
            this.rate = rate;
            this.tat = now;
        }
    }

    /** A shop's rate, for the operator's view. */
    record Rate(UUID tenantId, double requestsPerSecond, boolean held) {}

    private final double startRate;
    private final double minRate;
    private final double maxRate;
    private final long windowNanos;
    private final int minSamples;
    private final double congested;
    private final double calm;
    private final Map<UUID, Pace> paces = new HashMap<>();
    private final long[] samples = new long[MAX_SAMPLES];
    private int count;
    private long seen;
    private long windowStart;
    private boolean started;
    private long usual = -1;
    private int windowsSinceCalm;
    private Verdict last = Verdict.STEADY;
    /** The shop of the light requests kept, and whether they came from more than one shop. */
    private UUID lightFrom;
    private boolean lightMany;
    /** Windows whose light requests, too few to be judged, wait to be judged with the next windows' ones. */
    private int pendingWindows;
    /** Windows in a row without any light request. */
    private int emptyWindows;

    /**
     * @param startRate  a shop's rate when it is first seen, in requests per second
     * @param minRate    the lowest a congested window cuts a shop's rate to
     * @param maxRate    the highest a shop's rate grows to
     * @param windowNanos the length of a window
     * @param minSamples the light requests a window needs to say anything
     * @param congested  the ratio of the window's light latency to the usual at and above which rates fall
     * @param calm       the ratio below which the window is calm: rates grow and the usual may fall
     */
    TenantPacer(double startRate, double minRate, double maxRate, long windowNanos, int minSamples, double congested, double calm) {
        this.minRate = Math.max(0.1, minRate);
        this.startRate = Math.max(this.minRate, startRate);
        this.maxRate = Math.max(this.startRate, maxRate);
        this.windowNanos = windowNanos;
        this.minSamples = Math.max(1, minSamples);
        this.congested = congested;
        this.calm = Math.max(1.0001, Math.min(calm, congested));
    }

    /** Whether a request of the tenant may start now; one that may not marks its shop as held in this window. */
    boolean allows(UUID tenantId, long now) {
        roll(now);
        Pace pace = paces.get(tenantId);
        if (pace == null || pace.tat - now <= tolerance(pace.rate)) {
            return true;
        }
        pace.held = true;
        return false;
    }

    /**
     * A request of the tenant starts now (after {@link #allows}); true when the shop had no debt to its
     * rate, so that the request may count as light.
     */
    boolean start(UUID tenantId, long now) {
        roll(now);
        Pace pace = paces.get(tenantId);
        if (pace == null) {
            pace = new Pace(firstRate(), now);
            paces.put(tenantId, pace);
        }
        boolean free = pace.tat - now <= 0;
        pace.tat = Math.max(pace.tat, now) + interval(pace.rate);
        pace.started++;
        return free;
    }

    /** A light request of the tenant took this long. */
    void light(long latencyNanos, long now, UUID tenantId) {
        roll(now);
        if (lightFrom == null) {
            lightFrom = tenantId;
        } else if (!lightFrom.equals(tenantId)) {
            lightMany = true;
        }
        seen++;
        if (count < MAX_SAMPLES) {
            samples[count++] = latencyNanos;
        } else {
            samples[(int) (seen % MAX_SAMPLES)] = latencyNanos;
        }
    }

    /** A request of a shop that was not light took this long: the shop's own latency. */
    void own(UUID tenantId, long latencyNanos, long now) {
        roll(now);
        Pace pace = paces.get(tenantId);
        if (pace != null) {
            pace.ownNanos += latencyNanos;
            pace.ownCount++;
        }
    }

    /** The tenant's rate now, in requests per second (for a shop not seen lately, what it would start at: {@link #firstRate}). */
    double rate(UUID tenantId, long now) {
        roll(now);
        Pace pace = paces.get(tenantId);
        return pace == null ? firstRate() : pace.rate;
    }

    /** The rate of a shop not seen lately: the starting rate, or no limit while nobody light is there to protect. */
    private double firstRate() {
        return last == Verdict.NOBODY ? maxRate : startRate;
    }

    /** The usual latency of the light requests, in nanoseconds; -1 before the first window with enough of them. */
    long usual() {
        return usual;
    }

    /** What the last judged window said. */
    Verdict lastVerdict() {
        return last;
    }

    /** The shops paced now, at most {@code max}, the slowest first. */
    List<Rate> slowest(int max, long now) {
        roll(now);
        List<Rate> rates = new ArrayList<>();
        paces.forEach((id, pace) -> rates.add(new Rate(id, Math.round(pace.rate * 10) / 10.0, pace.held)));
        rates.sort((a, b) -> Double.compare(a.requestsPerSecond(), b.requestsPerSecond()));
        return rates.size() <= max ? rates : new ArrayList<>(rates.subList(0, max));
    }

    /** The shops remembered now. */
    int size() {
        return paces.size();
    }

    private double tolerance(double rate) {
        return (Math.max(MIN_BURST, rate * BURST_SECONDS) - 1) * interval(rate);
    }

    private static long interval(double rate) {
        return (long) (1_000_000_000L / rate);
    }

    private void roll(long now) {
        if (!started) {
            started = true;
            windowStart = now;
            return;
        }
        if (now - windowStart < windowNanos) {
            return;
        }
        long windows = (now - windowStart) / windowNanos;
        windowStart += windows * windowNanos;
        double ratio = 0;
        Verdict verdict;
        emptyWindows = count == 0 ? (int) Math.min(1_000, emptyWindows + windows) : 0;
        pendingWindows = count == 0 ? 0 : pendingWindows + 1;
        boolean judge = count >= minSamples || pendingWindows >= MAX_SPARSE_WINDOWS;
        if (!judge) {
            // no light request for two windows: nobody to protect; a few: judged with the next windows' ones
            verdict = count == 0 && emptyWindows >= 2 ? Verdict.NOBODY : Verdict.STEADY;
        } else {
            long[] window = Arrays.copyOf(samples, count);
            Arrays.sort(window);
            long p90 = window[Math.max(0, Math.min(count - 1, (int) Math.ceil(count * 0.9) - 1))];
            ratio = usual < 0 ? 1 : (double) p90 / usual;
            verdict = judge(p90);
        }
        last = verdict;
        int samplesSeen = count;
        if (judge) {
            count = 0;
            seen = 0;
            pendingWindows = 0;
        }
        double seconds = windows * windowNanos / 1e9;
        for (Iterator<Map.Entry<UUID, Pace>> it = paces.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<UUID, Pace> entry = it.next();
            Pace pace = entry.getValue();
            double used = pace.started / seconds;
            double own = ownRatio(pace);
            // light requests of its own only: nobody else is there to protect from this shop
            boolean others = lightMany || (lightFrom != null && !lightFrom.equals(entry.getKey()));
            Verdict mine = judge && !others ? Verdict.NOBODY : verdict;
            if ((mine == Verdict.CALM || mine == Verdict.STEADY) && own >= OWN_CONGESTED) {
                mine = Verdict.CONGESTED;
            } else if (mine == Verdict.CALM && own >= OWN_CONGESTED * 0.75) {
                mine = Verdict.STEADY;
            }
            if (pace.held) {
                pace.rate = switch (mine) {
                    case CONGESTED -> Math.max(minRate, Math.min(pace.rate, used) * Math.max(0.25, Math.min(0.9,
                            verdict == Verdict.CONGESTED ? calm / ratio : OWN_CONGESTED * 0.75 / own)));
                    case CALM -> Math.min(maxRate, pace.rate * growth(ratio));
                    case NOBODY -> Math.min(maxRate, pace.rate * GROWTH_ALONE);
                    case STEADY -> pace.rate;
                };
            } else {
                pace.rate = Math.min(pace.rate, Math.max(startRate, used * 2));
            }
            if (pace.held && LOG.isDebugEnabled()) {
                LOG.debugf("Pacing: %s window (%d light requests, %.2f x usual %.1f ms), a held shop used %.0f/s at %.2f x its usual %.1f ms: %s, its pace now %.0f/s",
                        verdict, samplesSeen, ratio, usual / 1e6, used, own, pace.ownUsual / 1e6, mine, pace.rate);
            }
            boolean forget = !pace.held && pace.tat - now <= 0 && (pace.started == 0 || pace.rate <= startRate);
            pace.started = 0;
            pace.held = false;
            pace.ownNanos = 0;
            pace.ownCount = 0;
            if (forget) {
                it.remove();
            }
        }
        if (judge) {
            lightFrom = null;
            lightMany = false;
        }
    }

    /**
     * The shop's own latency in the window against its usual (1 without enough requests), and the usual
     * learnt: the lowest window mean, creeping up by a fiftieth per window so that a lasting change is learnt.
     */
    private static double ownRatio(Pace pace) {
        if (pace.ownCount < OWN_MIN_SAMPLES) {
            return 1;
        }
        double mean = (double) pace.ownNanos / pace.ownCount;
        double ratio = pace.ownUsual <= 0 ? 1 : mean / pace.ownUsual;
        pace.ownUsual = pace.ownUsual <= 0 ? mean : Math.min(mean, pace.ownUsual * 1.02);
        return ratio;
    }

    /** A calm window's growth: by half at the usual latency, down to a twentieth at the calm ratio. */
    private double growth(double ratio) {
        double room = Math.max(0, Math.min(1, (calm - ratio) / (calm - 1)));
        return GROWTH_MIN + (GROWTH_MAX - GROWTH_MIN) * room;
    }

    private Verdict judge(long p90) {
        if (usual < 0) {
            usual = Math.max(1, p90);
            return Verdict.CALM;
        }
        double ratio = (double) p90 / usual;
        if (ratio >= congested) {
            if (++windowsSinceCalm > STALE_WINDOWS) {
                usual = Math.max(usual + 1, (long) (usual * 1.1));
            }
            return Verdict.CONGESTED;
        }
        windowsSinceCalm = 0;
        usual = Math.max(1, (long) (usual * 0.8 + p90 * 0.2));
        return ratio < calm ? Verdict.CALM : Verdict.STEADY;
    }
}
