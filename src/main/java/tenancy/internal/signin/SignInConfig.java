package tenancy.internal.signin;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import platform.ratelimit.Gcra;

/**
 * Limits of staff sign-in attempts on a cell, counted before any password is hashed. Each limit is
 * a rate ({@code limit} attempts per {@code period} on average) with a {@code burst} admitted at once.
 * The defaults are set in {@code application.properties} from the variables named here.
 */
@ConfigMapping(prefix = "tenancy.sign-in")
public interface SignInConfig {

    /**
     * Attempts from one client address, on every shop of the cell together
     * ({@code SIGN_IN_SOURCE_LIMIT}, {@code SIGN_IN_SOURCE_PERIOD}, {@code SIGN_IN_SOURCE_BURST};
     * default 10 per minute, 20 at once). IPv6 addresses count per /64.
     */
    Limit perSource();

    /**
     * Attempts at one account (shop and email, whether an account has it or not) from one client
     * address ({@code SIGN_IN_ACCOUNT_LIMIT}, {@code SIGN_IN_ACCOUNT_PERIOD},
     * {@code SIGN_IN_ACCOUNT_BURST}; default 5 per 15 minutes, 5 at once). A successful sign-in
     * empties it again. Other addresses keep their own, so nobody can lock an owner out.
     */
    Limit perAccount();

    /** Longest wait for Redis; after a failure or a timeout the node counts in-process for a second. */
    @WithDefault("250ms")
    Duration redisTimeout();

    /** A rate limit. */
    interface Limit {

        /** Attempts per period on average. */
        @Min(1)
        int limit();

        /** The period of {@link #limit()}, a duration such as {@code 1m} or {@code 15m}. */
        Duration period();

        /** Attempts admitted at once after a quiet while (the bucket's size). */
        @Min(1)
        int burst();

        /** As a GCRA rate. */
        default Gcra.Rate rate() {
            return Gcra.Rate.of(limit(), period(), burst());
        }
    }
}
