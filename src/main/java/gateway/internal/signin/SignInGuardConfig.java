package gateway.internal.signin;

import io.smallrye.config.ConfigMapping;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import platform.ratelimit.Gcra;

/**
 * The gateway's limit of sign-in attempts per client address ({@code GATEWAY_SIGN_IN_LIMIT} per
 * {@code GATEWAY_SIGN_IN_PERIOD}, {@code GATEWAY_SIGN_IN_BURST} at once; default 30 a minute, 5 at
 * once), on all shops together. It only sheds floods before they cost a cell anything: the cells keep
 * their own limits per address and per account, shared by all gateways, and stay the authority.
 *
 * <p>The burst is small on purpose: whatever it lets through reaches the cell at the same instant,
 * and a sign-in for an unknown account still costs the cell a request's worth of work (the throttle
 * in Redis, the account lookup, the answer). Thirty at once from one flooding address was enough to
 * hold the cell's two cores for about 100 ms and delay every other shop's reads that long (bench
 * scenario 8(a)); five at once is not, and a person who mistypes needs fewer. The sustained rate
 * stays generous for offices behind one address.
 */
@ConfigMapping(prefix = "gateway.sign-in")
public interface SignInGuardConfig {

    /** Attempts per period on average. */
    @Min(1)
    int limit();

    /** The period of {@link #limit()}. */
    Duration period();

    /** Attempts admitted at once after a quiet while. */
    @Min(1)
    int burst();

    /** Client addresses kept in memory at most (the least recently seen go first). */
    @Min(1)
    long maxAddresses();

    /** As a GCRA rate. */
    default Gcra.Rate rate() {
        return Gcra.Rate.of(limit(), period(), burst());
    }
}
