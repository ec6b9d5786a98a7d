package gateway.internal.signin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SignInGuardTest {

    record Limits(int limit, Duration period, int burst, long maxAddresses) implements SignInGuardConfig {}

    @Test
    void signInAttemptsAreThePostsThatMakeACellCheckASecret() {
        assertTrue(SignInGuard.isSignIn(HttpMethod.POST, "/api/admin/tokens"));
        assertTrue(SignInGuard.isSignIn(HttpMethod.POST, "/admin/sign-in"));
        assertTrue(SignInGuard.isSignIn(HttpMethod.POST, "/admin/invitations/Zm9v"));
        assertFalse(SignInGuard.isSignIn(HttpMethod.GET, "/admin/sign-in"), "the form itself");
        assertFalse(SignInGuard.isSignIn(HttpMethod.POST, "/admin/invitations/"));
        assertFalse(SignInGuard.isSignIn(HttpMethod.POST, "/api/storefront/carts"));
        assertFalse(SignInGuard.isSignIn(HttpMethod.DELETE, "/api/admin/tokens"));
    }

    @Test
    void eachAddressHasItsBurstThenWaits() {
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        SignInGuard guard = new SignInGuard(new Limits(30, Duration.ofMinutes(1), 2, 1000), metrics);
        assertEquals(Optional.empty(), guard.attempt("203.0.113.7"));
        assertEquals(Optional.empty(), guard.attempt("203.0.113.7"));
        Optional<Duration> wait = guard.attempt("203.0.113.7");
        assertTrue(wait.isPresent());
        assertTrue(wait.get().compareTo(Duration.ofSeconds(1)) > 0 && wait.get().compareTo(Duration.ofSeconds(2)) <= 0, wait.get().toString());
        assertEquals(Optional.empty(), guard.attempt("203.0.113.8"), "another address");
        assertEquals(Optional.empty(), guard.attempt("2001:db8:0:1::1"));
        assertEquals(Optional.empty(), guard.attempt("2001:db8:0:1::2"));
        assertTrue(guard.attempt("2001:db8:0:1::3").isPresent(), "one /64 is one client");
        assertEquals(2.0, metrics.counter(SignInGuard.REFUSED).count());
        assertEquals("30;w=60;burst=2", guard.policy());
    }
}
