package tenancy.internal;

import io.quarkus.arc.WithCaching;
import io.quarkus.hibernate.orm.PersistenceUnit;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import platform.Passwords;
import platform.ProblemException;
import platform.Secrets;
import tenancy.StaffPrincipal;
import tenancy.TenantTransactional;
import tenancy.internal.signin.ClientSource;
import tenancy.internal.signin.Decision;
import tenancy.internal.signin.SignInThrottle;

/**
 * Staff authentication of the current request: API tokens (looked up by digest within the bound
 * tenant) and passwords. A password sign-in is first counted against the sign-in limits (per client
 * address, and per account and client address: {@link SignInThrottle}), and only an admitted attempt
 * at an existing account costs a password check; hashes are computed outside transactions.
 */
@RequestScoped
public class StaffSession {

    /** Looked up on use: the cell persistence unit is inactive on other roles, where these beans never run. */
    @Inject @WithCaching @PersistenceUnit("cell") Instance<EntityManager> cellEntityManager;
    @Inject TenantHolder holder;
    @Inject Clock clock;
    @Inject Passwords passwords;
    @Inject StaffCredentials credentials;
    @Inject SignInThrottle throttle;
    @Inject ClientSource source;

    private Staff signedIn;

    /** Authenticates an API token of the bound tenant. */
    @TenantTransactional
    public Optional<Staff> authenticate(String token) {
        Optional<Staff> staff = holder(token, ApiToken.API);
        signedIn = staff.orElse(null);
        return staff;
    }

    /** The staff member holding a live token of a kind ({@link ApiToken#API} or {@link ApiToken#SESSION}) of the bound tenant. */
    @TenantTransactional
    public Optional<Staff> holder(String token, String kind) {
        ApiToken stored = entityManager().find(ApiToken.class, Secrets.digest(token));
        if (stored == null || !kind.equals(stored.kind)
                || (stored.expiresAt != null && stored.expiresAt.isBefore(clock.instant()))) {
            return Optional.empty();
        }
        return Optional.ofNullable(entityManager().find(Staff.class, stored.staffId));
    }

    /**
     * Checks a staff member's email and password of the bound tenant. An attempt beyond the sign-in
     * limits is refused before anything else. An unknown email takes as long as a wrong password
     * ({@link Passwords#pretendCheck()}) and is answered the same. A right password whose stored hash
     * is of the earlier format or has weaker work factors than configured gets a new hash. Runs
     * outside any transaction (it opens short ones of its own).
     */
    public SignIn signIn(String email, String password) {
        UUID tenant = holder.tenant();
        if (tenant == null) {
            throw new IllegalStateException("a sign-in needs a bound tenant");
        }
        String normalised = email == null ? "" : email.trim().toLowerCase(Locale.ROOT);
        String from = source.address();
        Decision decision = throttle.attempt(from, tenant, normalised);
        if (!decision.admitted()) {
            return new SignIn(SignIn.Outcome.THROTTLED, decision.retryAfter());
        }
        Optional<StaffCredentials.Stored> stored = credentials.byEmail(normalised);
        if (stored.isEmpty()) {
            passwords.pretendCheck();
            return SignIn.REJECTED;
        }
        Passwords.Check check = passwords.check(password, stored.get().passwordHash());
        if (!check.matches()) {
            return SignIn.REJECTED;
        }
        throttle.succeeded(from, tenant, normalised);
        String replacement = null;
        if (check.needsRehash()) {
            try {
                replacement = passwords.hash(password);
            } catch (ProblemException busy) {
                // no turn for a second hash now: the new hash waits for the next sign-in
            }
        }
        signedIn = credentials.checked(stored.get(), replacement).orElse(null);
        return signedIn == null ? SignIn.REJECTED : SignIn.OK;
    }

    /** The staff member whose password was checked in this request, if any. */
    Staff signedIn() {
        return signedIn;
    }

    /** Issues a new API token for the signed-in staff member; returns the token (shown once). */
    @TenantTransactional
    public String issueToken(String name, Duration validity) {
        if (signedIn == null) {
            throw new IllegalStateException("nobody is signed in");
        }
        String token = Secrets.randomToken("sfa_");
        ApiToken stored = new ApiToken();
        stored.tokenDigest = Secrets.digest(token);
        stored.staffId = signedIn.staffId;
        stored.name = name;
        stored.createdAt = clock.instant();
        stored.expiresAt = validity == null ? null : stored.createdAt.plus(validity);
        entityManager().persist(stored);
        return token;
    }

    /** The signed-in staff member of this request. */
    @Produces
    StaffPrincipal principal() {
        if (signedIn == null) {
            throw new IllegalStateException("no staff member is signed in");
        }
        return new StaffPrincipal(UUID.fromString(signedIn.tenantId), signedIn.staffId, signedIn.email, signedIn.role);
    }

    /** Outcome of a password sign-in; a throttled one says when to try again. */
    public record SignIn(Outcome outcome, Duration retryAfter) {

        public static final SignIn OK = new SignIn(Outcome.OK, null);
        public static final SignIn REJECTED = new SignIn(Outcome.REJECTED, null);

        public enum Outcome { OK, REJECTED, THROTTLED }
    }

    private EntityManager entityManager() {
        return cellEntityManager.get();
    }
}
