package tenancy.internal;

import io.quarkus.hibernate.orm.PersistenceUnit;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import platform.Secrets;
import tenancy.StaffPrincipal;
import tenancy.TenantTransactional;

/**
 * Staff authentication of the current request: API tokens (looked up by digest within the bound
 * tenant) and passwords (with lock-out after repeated failures).
 */
@RequestScoped
public class StaffSession {

    /** Failed sign-ins after which an account is locked for {@link #LOCK_OUT}. */
    static final int MAX_FAILURES = 5;
    static final Duration LOCK_OUT = Duration.ofMinutes(5);

    /** Looked up on use: the cell persistence unit is inactive on other roles, where these beans never run. */
    @Inject @PersistenceUnit("cell") Instance<EntityManager> cellEntityManager;
    @Inject TenantHolder holder;
    @Inject Clock clock;

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

    /** Checks a staff member's email and password; locks the account after repeated failures. */
    @TenantTransactional
    public SignIn signIn(String email, String password) {
        Instant now = clock.instant();
        Staff staff = entityManager().createQuery("from Staff where email = :email", Staff.class)
                .setParameter("email", email == null ? "" : email.trim().toLowerCase(java.util.Locale.ROOT))
                .getResultStream().findFirst().orElse(null);
        if (staff == null) {
            Secrets.verifyPassword(password, DUMMY_HASH); // same work as a real check: no user enumeration by timing
            return SignIn.REJECTED;
        }
        if (staff.lockedUntil != null && staff.lockedUntil.isAfter(now)) {
            return SignIn.LOCKED;
        }
        if (!Secrets.verifyPassword(password, staff.passwordHash)) {
            staff.failedSignIns++;
            if (staff.failedSignIns >= MAX_FAILURES) {
                staff.lockedUntil = now.plus(LOCK_OUT);
                staff.failedSignIns = 0;
            }
            return SignIn.REJECTED;
        }
        staff.failedSignIns = 0;
        staff.lockedUntil = null;
        signedIn = staff;
        return SignIn.OK;
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

    /** Outcome of a password sign-in. */
    public enum SignIn { OK, REJECTED, LOCKED }

    private static final String DUMMY_HASH = Secrets.hashPassword(UUID.randomUUID().toString());

    private EntityManager entityManager() {
        return cellEntityManager.get();
    }
}
