package gateway.internal.signin;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.http.HttpMethod;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import platform.ratelimit.ClientAddresses;
import platform.ratelimit.Gcra;
import platform.ratelimit.LocalGcra;

/**
 * Refuses floods of sign-in attempts at the gateway, per client address and before anything else
 * is spent on them: no Redis round trip, no forwarding, no password hash on a cell. Counted in this
 * process only (a GCRA per address, bounded by {@link SignInGuardConfig#maxAddresses()}), so with
 * several gateways a client gets each gateway's allowance; the cells' shared limits per address and
 * per account (in their Redis) stay the authority, this only keeps a flood off them cheaply.
 *
 * <p>What counts as a sign-in attempt is any request that makes a cell check a secret: {@code POST}
 * of the admin's sign-in form ({@code /admin/sign-in}), of the token API ({@code /api/admin/tokens})
 * and of an invitation's acceptance ({@code /admin/invitations/<token>}). The client address is the
 * socket's peer: the gateway is the platform's edge. IPv6 addresses count per /64.
 */
@ApplicationScoped
public class SignInGuard {

    /** Counter of the attempts refused at the gateway. */
    static final String REFUSED = "gateway.signin.refused";

    private final SignInGuardConfig config;
    private final Gcra.Rate rate;
    private final LocalGcra<String> perAddress;
    private final Counter refused;

    @Inject
    public SignInGuard(SignInGuardConfig config, MeterRegistry metrics) {
        this.config = config;
        this.rate = config.rate();
        this.perAddress = LocalGcra.monotonic(config.maxAddresses(), Duration.ofNanos(rate.toleranceMicros() * 1000).plusSeconds(1));
        this.refused = metrics.counter(REFUSED);
    }

    /** Whether a request is a sign-in attempt (by method and normalised path). */
    public static boolean isSignIn(HttpMethod method, String path) {
        if (method != HttpMethod.POST || path == null) {
            return false;
        }
        return path.equals("/admin/sign-in") || path.equals("/api/admin/tokens")
                || (path.startsWith("/admin/invitations/") && path.length() > "/admin/invitations/".length());
    }

    /**
     * Takes one attempt from the client address's allowance: empty if admitted, else how long the
     * client should wait. An address that cannot be read counts as one shared client.
     */
    public Optional<Duration> attempt(String peerAddress) {
        String address = ClientAddresses.normalise(peerAddress).orElse("unknown");
        Gcra.Step step = perAddress.take(address, rate);
        if (step.admitted()) {
            return Optional.empty();
        }
        refused.increment();
        return Optional.of(Duration.ofNanos(Math.max(1, step.waitMicros()) * 1000));
    }

    /** The limit, for the {@code RateLimit-Policy} header: attempts per period and the burst. */
    public String policy() {
        return config.limit() + ";w=" + config.period().toSeconds() + ";burst=" + config.burst();
    }
}
