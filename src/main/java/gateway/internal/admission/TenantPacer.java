package gateway.internal.admission;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * How fast each shop may start requests at one cell (ADR 0019): a rate per shop that starts low for a
 * shop it has not seen lately and then follows what the shop's neighbours feel.
 *
 * <p>A shop's requests are paced by the generic cell rate algorithm: a theoretical arrival time per
 * shop that each started request moves on by one interval of the shop's rate; a request may start while
 * that time is at most the burst tolerance ahead of now ({@link #BURST_SECONDS} of the rate, at least
 * {@link #MIN_BURST} requests). A shop held back by its pace in this window or the last may also have no
 * more requests in flight than its rate needs at its usual latency (at least one, ADR 0022): more would
 * queue at the cell in front of its neighbours' requests. A request that may not start yet marks its
 * shop as <em>held</em> in the current window.
 *
 * <p>At the end of each window the light requests' latency is judged: those of shops that started them
 * without any debt to their rate (the caller adds: with few in flight). Their 90th percentile (their
 * median while fewer than {@link #FULL_SAMPLES}) is compared with its usual level (a moving average over
 * the windows that were not congested, a fifth per window, rising by a tenth per window once
 * {@link #STALE_WINDOWS} windows passed without one), taken as at least {@link #SLACK_NANOS} / (ratio - 1)
 * so that a few milliseconds of scheduling are never congestion (ADR 0022).
 * Fewer light requests than a window needs are kept and judged with the next windows' ones (over at
 * most {@link #MAX_SPARSE_WINDOWS}); two windows in a row without any mean nobody is there to protect,
 * and a shop not seen lately then starts without a limit. A shop's own light requests never judge its
 * own pace (a shop whose only light requests are its own has nobody to protect). Two more signals count
 * for a held shop: its own latency (the median of its requests in the window against the lowest median
 * seen, creeping up by a fiftieth per window; at {@link #OWN_CONGESTED} times or more it is over what the
 * cell has left, at three quarters of that it does not grow), and the gateway's own event loop lag (at
 * the limit or more every answer of the gateway waits: congested, for a shop that keeps at least
 * {@link #LAG_LOAD} of a request in flight; at half of it no growth). Each shop
 * held in the window then gets:
 * <ul>
 *   <li>congested, the first window in a row: its rate cut to between {@link #FIRST_CUT_MIN} and
 *       {@link #FIRST_CUT} of what it used, as the strongest signal says (one window may be a pause of
 *       the cell, not a queue);</li>
 *   <li>congested, the second in a row: {@code calm / ratio} of the rate it used (between a half and
 *       nine tenths), never below the minimum rate; that rate is remembered as its ceiling;</li>
 *   <li>calm (below the calm ratio; or too few light requests to judge yet, their median below the calm
 *       ratio so far, while its own latency and the gateway's loops are calm): growth by {@link #GROWTH_START} until it is first cut in proportion (it has
 *       no known limit yet), then by {@link #GROWTH_FAR} while below {@link #NEAR} of its
 *       ceiling (or without one), then by the usual growth ({@link #GROWTH_MAX} at the usual latency,
 *       {@link #GROWTH_MIN} at the calm ratio) up to {@link #GROWTH_NEAR}, up to the ceiling, which is
 *       forgotten after {@link #PROBE_WINDOWS} calm windows there;</li>
 *   <li>nobody to protect: growth by {@link #GROWTH_ALONE};</li>
 *   <li>in between, or light requests kept for later: no change.</li>
 * </ul>
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
    /** Light requests a window needs for their 90th percentile to be judged; with fewer, their median is. */
    static final int FULL_SAMPLES = 20;
    /** Light requests too few for a window are judged with the next ones', over at most this many windows. */
    static final int MAX_SPARSE_WINDOWS = 4;
    /** A held shop whose own requests' median takes this many times its usual is cut, whatever the light requests say. */
    static final double OWN_CONGESTED = 2;
    /** Own latencies kept per shop and window for their median (the later ones replace earlier ones). */
    static final int OWN_SAMPLES = 128;
    /**
     * Latency that is never congestion by itself, in nanoseconds: a window is congested only when its latency is
     * also this much above the usual (at a usual of 3 ms, 1.5 times is scheduling noise, not a queue).
     */
    static final long SLACK_NANOS = 2_000_000L;
    /** A held shop far below the rate at which it was last cut (or never cut) grows by this much per calm window. */
    static final double GROWTH_FAR = 1.3;
    /** And near it, or above it, by at most this much: it probes the rate that congested the cell slowly. */
    static final double GROWTH_NEAR = 1.05;
    /** The least latency a held shop's concurrency is reckoned with, before its own is known. */
    static final long MIN_USUAL_NANOS = 1_000_000L;
    /** Room over what a held shop's rate needs in flight at its usual latency. */
    static final double CONCURRENCY_ROOM = 1.0;
    /** Below this share of the rate at which it was last cut, a shop is far from it. */
    static final double NEAR = 0.8;
    /** Calm windows in a row at that rate after which it is forgotten: the trouble passed, or the cell has more room. */
    static final int PROBE_WINDOWS = 3;
    /** A first congested window (maybe a pause of the cell, maybe a queue) cuts the rate a shop used to at most this. */
    static final double FIRST_CUT = 0.9;
    /** And by at most this much, however strong the signal: one window may still be a pause. */
    static final double FIRST_CUT_MIN = 0.7;
    /** The requests of a shop a window needs for its own latency to say anything. */
    static final int OWN_MIN_SAMPLES = 10;
    /** A calm window's growth of a held shop's rate: at the usual latency, and at the calm ratio. */
    static final double GROWTH_MAX = 1.2;
    static final double GROWTH_MIN = 1.02;
    /** The growth of a held shop's rate per window while nobody light is there to protect. */
    static final double GROWTH_ALONE = 2;
    /**
     * A held shop is slowed for the gateway's loop lag only while it keeps at least this much of one request in flight
     * on average (its rate times its usual latency): a shop using a few percent of one connection cannot be the cause.
     */
    static final double LAG_LOAD = 0.1;
    /** The growth of a held shop's rate per calm window before it was ever cut: it has no known limit yet. */
    static final double GROWTH_START = 2;

    /** What a window's light requests said. */
    enum Verdict { CONGESTED, STEADY, CALM, NOBODY }

    private static final class Pace {
        double rate;
        long tat;
        int started;
        boolean held;
        long[] own;
        int ownCount;
        /** The shop's own usual latency (a window's median at its lowest, creeping up); -1 before the first. */
        double ownUsual = -1;
        /** Held back by its pace in the last window. */
        boolean wasHeld;
        /** Congested windows in a row for this shop (one may be a pause of the cell; two are a queue). */
        int congestedRun;
        /** The rate the shop used when it was last cut; -1 before its first cut. */
        double ceiling = -1;
        /** Calm windows in a row at the ceiling. */
        int calmAtCeiling;
        /** Whether it was ever cut for lasting congestion (before that, it grows as fast as it may: it has no known limit). */
        boolean everCut;

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
    private final long lagLimitNanos;
    private final LongSupplier loopLag;
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
        this(startRate, minRate, maxRate, windowNanos, minSamples, congested, calm, 0, () -> -1);
    }

    /**
     * As above, following the gateway's event loop lag as well: at {@code lagLimitNanos} or more (0: off) the
     * held shops are slowed, at half of it they do not grow.
     */
    TenantPacer(double startRate, double minRate, double maxRate, long windowNanos, int minSamples, double congested, double calm,
                long lagLimitNanos, LongSupplier loopLag) {
        this.lagLimitNanos = lagLimitNanos;
        this.loopLag = loopLag;
        this.minRate = Math.max(0.1, minRate);
        this.startRate = Math.max(this.minRate, startRate);
        this.maxRate = Math.max(this.startRate, maxRate);
        this.windowNanos = windowNanos;
        this.minSamples = Math.max(1, minSamples);
        this.congested = congested;
        this.calm = Math.max(1.0001, Math.min(calm, congested));
    }

    /**
     * Whether a request of the tenant, which has {@code inflight} requests at the cell now, may start: within
     * its pace and, for a shop held back by its pace in this window or the last, within what its pace
     * needs in flight ({@link #concurrency}). One that may not marks its shop as held in this window.
     */
    boolean allows(UUID tenantId, long now, int inflight) {
        roll(now);
        Pace pace = paces.get(tenantId);
        if (pace == null) {
            return true;
        }
        if (pace.tat - now <= tolerance(pace.rate) && (!(pace.held || pace.wasHeld) || inflight < concurrency(pace))) {
            return true;
        }
        pace.held = true;
        return false;
    }

    /**
     * What a held shop's pace needs in flight (its rate times its usual latency, at least one): more would
     * only queue at the cell, where its neighbours' requests wait behind them.
     */
    private static int concurrency(Pace pace) {
        double seconds = Math.max(pace.ownUsual, MIN_USUAL_NANOS) / 1e9;
        return (int) Math.max(1, Math.ceil(pace.rate * seconds * CONCURRENCY_ROOM));
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
            if (pace.own == null) {
                pace.own = new long[OWN_SAMPLES];
            }
            pace.own[pace.ownCount++ % OWN_SAMPLES] = latencyNanos;
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
        // a few light requests, kept for the next windows: calm so far if their median is below the calm ratio
        boolean calmSoFar = !judge && count > 0 && usual >= 0 && median(count) / usualFloor() < calm;
        if (!judge) {
            // no light request for two windows: nobody to protect; a few: judged with the next windows' ones
            verdict = count == 0 && emptyWindows >= 2 ? Verdict.NOBODY : Verdict.STEADY;
        } else {
            long[] window = Arrays.copyOf(samples, count);
            Arrays.sort(window);
            // the 90th percentile of a few samples is their largest: below FULL_SAMPLES, the median
            double q = count >= FULL_SAMPLES ? 0.9 : 0.5;
            long p90 = window[Math.max(0, Math.min(count - 1, (int) Math.ceil(count * q) - 1))];
            ratio = usual < 0 ? 1 : (double) p90 / usualFloor();
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
        long lag = lagLimitNanos > 0 ? loopLag.getAsLong() : -1;
        double lagRatio = lag < 0 ? 0 : (double) lag / lagLimitNanos;
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
            // the gateway's own loops late: every neighbour's answers wait, whatever the cell feels (a shop
            // with nobody light beside it has nobody to protect)
            // (a shop that keeps less than LAG_LOAD of one request in flight on average cannot be what makes them late;
            // while its own latency is unknown, it may be)
            double load = pace.ownUsual <= 0 ? Double.MAX_VALUE : used * Math.max(pace.ownUsual, MIN_USUAL_NANOS) / 1e9;
            if (lagRatio >= 1 && mine != Verdict.NOBODY && load >= LAG_LOAD) {
                mine = Verdict.CONGESTED;
            } else if (lagRatio >= 0.5 && mine == Verdict.CALM) {
                mine = Verdict.STEADY;
            } else if (calmSoFar && mine == Verdict.STEADY && own < OWN_CONGESTED * 0.75 && lagRatio < 0.5) {
                // too few light requests to judge yet (kept for the next windows), and calm so far: the neighbours
                // hardly use the cell, and the shop's own latency and the gateway's loops say nothing is queueing
                mine = Verdict.CALM;
            }
            // one congested window may be a pause of the cell (a collection, a stall of the machine): it slows
            // the shop a little; the second in a row is a queue, and cuts it in proportion
            if (mine == Verdict.CONGESTED) {
                pace.congestedRun++;
            } else if (mine != Verdict.STEADY || judge) {
                pace.congestedRun = 0;
            }
            boolean first = mine == Verdict.CONGESTED && pace.congestedRun < 2;
            if (pace.held) {
                double before = pace.rate;
                // how far under the congestion the rate must go: the strongest of the three signals
                double relief = Math.min(verdict == Verdict.CONGESTED ? calm / ratio : 1,
                        Math.min(OWN_CONGESTED * 0.75 / own, 1 / lagRatio));
                pace.rate = first ? Math.max(minRate, Math.min(pace.rate, used) * Math.max(FIRST_CUT_MIN, Math.min(FIRST_CUT, relief)))
                        : switch (mine) {
                    case CONGESTED -> Math.max(minRate, Math.min(pace.rate, used) * Math.max(0.5, Math.min(0.9, relief)));
                    case CALM -> Math.min(maxRate, grow(pace, ratio));
                    case NOBODY -> Math.min(maxRate, pace.rate * GROWTH_ALONE);
                    case STEADY -> pace.rate;
                };
                if (mine == Verdict.CONGESTED && !first) {
                    pace.everCut = true;
                    pace.ceiling = Math.min(before, used);
                    pace.congestedRun = 0;
                    pace.calmAtCeiling = 0;
                }
            } else {
                pace.rate = Math.min(pace.rate, Math.max(startRate, used * 2));
            }
            if (pace.held && LOG.isDebugEnabled()) {
                LOG.debugf("Pacing: %s window (%d light requests, %.2f x usual %.1f ms), a held shop used %.0f/s at %.2f x its usual %.1f ms: %s%s, its pace now %.0f/s (ceiling %.0f/s, loop lag %.1f ms)",
                        verdict, samplesSeen, ratio, usual / 1e6, used, own, pace.ownUsual / 1e6, mine, first ? " (first)" : "", pace.rate, pace.ceiling, lag / 1e6);
            }
            boolean forget = !pace.held && pace.tat - now <= 0 && (pace.started == 0 || pace.rate <= startRate);
            pace.started = 0;
            pace.wasHeld = pace.held;
            pace.held = false;
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

    /** The median of the first {@code n} light samples kept. */
    private double median(int n) {
        long[] kept = Arrays.copyOf(samples, n);
        Arrays.sort(kept);
        return kept[n / 2];
    }

    /**
     * The shop's own latency in the window against its usual (1 without enough requests), and the usual
     * learnt: the lowest window mean, creeping up by a fiftieth per window so that a lasting change is learnt.
     */
    private static double ownRatio(Pace pace) {
        if (pace.ownCount < OWN_MIN_SAMPLES) {
            return 1;
        }
        long[] kept = Arrays.copyOf(pace.own, Math.min(OWN_SAMPLES, pace.ownCount));
        Arrays.sort(kept);
        double median = kept[kept.length / 2];
        double ratio = pace.ownUsual <= 0 ? 1 : median / Math.max(pace.ownUsual, SLACK_NANOS / (OWN_CONGESTED - 1));
        pace.ownUsual = pace.ownUsual <= 0 ? median : Math.min(median, pace.ownUsual * 1.02);
        return ratio;
    }

    /** A calm window's rate for a held shop: fast far below the rate it was last cut at, slowly near it. */
    private double grow(Pace pace, double ratio) {
        double factor = growth(ratio);
        if (!pace.everCut) {
            return pace.rate * Math.max(factor, GROWTH_START);
        }
        if (pace.ceiling <= 0) {
            return pace.rate * Math.max(factor, GROWTH_FAR);
        }
        if (pace.rate < pace.ceiling * NEAR) {
            return Math.min(pace.ceiling, pace.rate * Math.max(factor, GROWTH_FAR));
        }
        if (pace.rate < pace.ceiling) {
            return Math.min(pace.ceiling, pace.rate * Math.min(factor, GROWTH_NEAR));
        }
        if (++pace.calmAtCeiling >= PROBE_WINDOWS) {
            // calm at the rate that congested the cell: it was a passing trouble, or the cell has more room now
            pace.calmAtCeiling = 0;
            pace.ceiling = -1;
            return pace.rate * Math.max(factor, GROWTH_FAR);
        }
        return pace.ceiling;
    }

    /** A calm window's usual growth: by a fifth at the usual latency, down to a fiftieth at the calm ratio. */
    private double growth(double ratio) {
        double room = Math.max(0, Math.min(1, (calm - ratio) / (calm - 1)));
        return GROWTH_MIN + (GROWTH_MAX - GROWTH_MIN) * room;
    }

    /** The usual latency that ratios are taken against: never so low that the slack would count as congestion. */
    private double usualFloor() {
        return Math.max(usual, SLACK_NANOS / (congested - 1));
    }

    private Verdict judge(long p90) {
        if (usual < 0) {
            usual = Math.max(1, p90);
            return Verdict.CALM;
        }
        double ratio = (double) p90 / usualFloor();
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
