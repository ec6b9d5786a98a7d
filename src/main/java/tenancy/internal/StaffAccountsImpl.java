package tenancy.internal;

import io.quarkus.arc.WithCaching;
import io.quarkus.hibernate.orm.PersistenceUnit;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import platform.Passwords;
import platform.Problem;
import platform.ProblemException;
import platform.Secrets;
import tenancy.StaffAccounts;
import tenancy.StaffPrincipal;
import tenancy.TenantTransactional;

/** Staff accounts, invitations and admin UI sessions of the bound tenant. */
@ApplicationScoped
public class StaffAccountsImpl implements StaffAccounts {

    /** How long a browser session of the admin UI lasts. */
    static final Duration SESSION_VALIDITY = Duration.ofHours(12);
    /** How long an invitation can be accepted. */
    static final Duration INVITATION_VALIDITY = Duration.ofDays(7);

    /** Looked up on use: the cell persistence unit is inactive on other roles, where these beans never run. */
    @Inject @WithCaching @PersistenceUnit("cell") Instance<EntityManager> cellEntityManager;
    @Inject StaffSession staffSession;
    @Inject StaffCredentials credentials;
    @Inject Passwords passwords;
    @Inject Clock clock;

    @Override
    public SignIn signIn(String email, String password) {
        StaffSession.SignIn result = staffSession.signIn(email, password);
        return switch (result.outcome()) {
            case OK -> opened(staffSession.signedIn());
            case REJECTED -> new SignIn(SignIn.Outcome.REJECTED, null, null, null);
            case THROTTLED -> new SignIn(SignIn.Outcome.THROTTLED, null, null, result.retryAfter());
        };
    }

    /** A new browser session of a staff member whose password was checked. */
    @TenantTransactional
    SignIn opened(Staff staff) {
        return new SignIn(SignIn.Outcome.OK, openSession(staff), principal(staff), null);
    }

    @Override
    @TenantTransactional
    public Optional<StaffPrincipal> session(String sessionToken) {
        if (sessionToken == null || sessionToken.isBlank()) {
            return Optional.empty();
        }
        return staffSession.holder(sessionToken, ApiToken.SESSION).map(StaffAccountsImpl::principal);
    }

    @Override
    @TenantTransactional
    public void signOut(String sessionToken) {
        if (sessionToken != null && !sessionToken.isBlank()) {
            entityManager().createQuery("delete from ApiToken t where t.tokenDigest = :d and t.kind = :kind")
                    .setParameter("d", Secrets.digest(sessionToken)).setParameter("kind", ApiToken.SESSION).executeUpdate();
        }
    }

    @Override
    @TenantTransactional
    public List<StaffMember> members() {
        return entityManager().createQuery("from Staff s order by s.email", Staff.class).setMaxResults(1000).getResultList()
                .stream().map(s -> new StaffMember(s.staffId, s.email, s.name, s.role, s.createdAt)).toList();
    }

    @Override
    @TenantTransactional
    public List<Invitation> pendingInvitations() {
        return entityManager().createQuery("from StaffInvitation i where i.expiresAt > :now order by i.createdAt desc",
                        StaffInvitation.class)
                .setParameter("now", clock.instant()).setMaxResults(1000).getResultList().stream()
                .map(StaffAccountsImpl::view).toList();
    }

    @Override
    @TenantTransactional
    public String invite(String email, String role, StaffPrincipal invitedBy) {
        requireOwner(invitedBy);
        String normalised = email.trim().toLowerCase(Locale.ROOT);
        if (!ROLES.contains(role)) {
            throw ProblemException.invalidField("role", "must be owner or staff");
        }
        if (staffByEmail(normalised).isPresent()) {
            throw ProblemException.conflict("email", "A staff account with this email exists.");
        }
        Instant now = clock.instant();
        // an expired invitation of the same address makes way for the new one
        entityManager().createQuery("delete from StaffInvitation i where i.email = :email and i.expiresAt <= :now")
                .setParameter("email", normalised).setParameter("now", now).executeUpdate();
        boolean pending = !entityManager().createQuery("select i.invitationId from StaffInvitation i where i.email = :email")
                .setParameter("email", normalised).getResultList().isEmpty();
        if (pending) {
            throw ProblemException.conflict("email", "This email already has a pending invitation.");
        }
        String token = Secrets.randomToken("sfi_");
        StaffInvitation invitation = new StaffInvitation();
        invitation.invitationId = UUID.randomUUID();
        invitation.tokenDigest = Secrets.digest(token);
        invitation.email = normalised;
        invitation.role = role;
        invitation.invitedBy = invitedBy.email();
        invitation.createdAt = now;
        invitation.expiresAt = now.plus(INVITATION_VALIDITY);
        entityManager().persist(invitation);
        return token;
    }

    @Override
    @TenantTransactional
    public Optional<Invitation> invitation(String invitationToken) {
        return pending(invitationToken).map(StaffAccountsImpl::view);
    }

    @Override
    public Optional<SignIn> accept(String invitationToken, String name, String password) {
        if (invitation(invitationToken).isEmpty()) {
            return Optional.empty(); // no hash for an invalid link
        }
        return join(invitationToken, name, passwords.hash(password));
    }

    /** Accepts an invitation with the hash of the new member's password (computed before the transaction). */
    @TenantTransactional
    Optional<SignIn> join(String invitationToken, String name, String passwordHash) {
        Optional<StaffInvitation> found = pending(invitationToken);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        StaffInvitation invitation = found.get();
        entityManager().lock(invitation, LockModeType.PESSIMISTIC_WRITE);
        if (staffByEmail(invitation.email).isPresent()) {
            entityManager().remove(invitation);
            return Optional.empty();
        }
        Staff staff = new Staff();
        staff.staffId = UUID.randomUUID();
        staff.email = invitation.email;
        staff.name = name.strip();
        staff.passwordHash = passwordHash;
        staff.role = invitation.role;
        staff.createdAt = clock.instant();
        entityManager().persist(staff);
        entityManager().remove(invitation);
        entityManager().flush();
        return Optional.of(new SignIn(SignIn.Outcome.OK, openSession(staff), principal(staff), null));
    }

    @Override
    @TenantTransactional
    public boolean withdraw(UUID invitationId) {
        return entityManager().createQuery("delete from StaffInvitation i where i.invitationId = :id")
                .setParameter("id", invitationId).executeUpdate() > 0;
    }

    @Override
    @TenantTransactional
    public boolean remove(UUID staffId, StaffPrincipal actingMember) {
        requireOwner(actingMember);
        Staff staff = entityManager().find(Staff.class, staffId, LockModeType.PESSIMISTIC_WRITE);
        if (staff == null) {
            return false;
        }
        if (staff.staffId.equals(actingMember.staffId())) {
            throw ProblemException.conflict("You cannot remove your own account.");
        }
        if ("owner".equals(staff.role)) {
            long owners = entityManager().createQuery("select count(s) from Staff s where s.role = 'owner'", Long.class)
                    .getSingleResult();
            if (owners <= 1) {
                throw ProblemException.conflict("A shop keeps at least one owner.");
            }
        }
        entityManager().createQuery("delete from ApiToken t where t.staffId = :id").setParameter("id", staffId).executeUpdate();
        entityManager().remove(staff);
        return true;
    }

    @Override
    public void changePassword(StaffPrincipal member, String currentPassword, String newPassword, String keepSession) {
        StaffCredentials.Stored stored = credentials.byId(member.staffId())
                .orElseThrow(() -> ProblemException.notFound("This staff account no longer exists."));
        if (!passwords.check(currentPassword, stored.passwordHash()).matches()) {
            throw ProblemException.invalidField("currentPassword", "is not your current password");
        }
        replacePassword(stored, passwords.hash(newPassword), keepSession);
    }

    /** Stores a new password hash if the stored one is still the one checked; ends the member's other sessions. */
    @TenantTransactional
    void replacePassword(StaffCredentials.Stored checked, String newHash, String keepSession) {
        Staff staff = entityManager().find(Staff.class, checked.staffId(), LockModeType.PESSIMISTIC_WRITE);
        if (staff == null) {
            throw ProblemException.notFound("This staff account no longer exists.");
        }
        if (!staff.passwordHash.equals(checked.passwordHash())) {
            throw ProblemException.conflict("currentPassword", "The password was changed meanwhile; enter the new one.");
        }
        staff.passwordHash = newHash;
        entityManager().createQuery("delete from ApiToken t where t.staffId = :id and t.kind = :kind and t.tokenDigest <> :keep")
                .setParameter("id", staff.staffId).setParameter("kind", ApiToken.SESSION)
                .setParameter("keep", keepSession == null ? "" : Secrets.digest(keepSession)).executeUpdate();
    }

    private String openSession(Staff staff) {
        String token = Secrets.randomToken("sfs_");
        ApiToken session = new ApiToken();
        session.tokenDigest = Secrets.digest(token);
        session.staffId = staff.staffId;
        session.name = "admin UI session";
        session.kind = ApiToken.SESSION;
        session.createdAt = clock.instant();
        session.expiresAt = session.createdAt.plus(SESSION_VALIDITY);
        entityManager().persist(session);
        // expired sessions of the same person are cleaned up as they sign in again
        entityManager().createQuery("delete from ApiToken t where t.staffId = :id and t.kind = :kind and t.expiresAt < :now")
                .setParameter("id", staff.staffId).setParameter("kind", ApiToken.SESSION)
                .setParameter("now", session.createdAt).executeUpdate();
        return token;
    }

    private Optional<StaffInvitation> pending(String token) {
        if (token == null || token.isBlank() || token.length() > 200) {
            return Optional.empty();
        }
        return entityManager().createQuery("from StaffInvitation i where i.tokenDigest = :d and i.expiresAt > :now",
                        StaffInvitation.class)
                .setParameter("d", Secrets.digest(token)).setParameter("now", clock.instant()).getResultStream().findFirst();
    }

    private Optional<Staff> staffByEmail(String email) {
        return entityManager().createQuery("from Staff s where s.email = :email", Staff.class)
                .setParameter("email", email).getResultStream().findFirst();
    }

    private static void requireOwner(StaffPrincipal member) {
        if (!"owner".equals(member.role())) {
            throw new ProblemException(Problem.of(403, "Forbidden", "Only the shop's owners manage its staff."));
        }
    }

    private static StaffPrincipal principal(Staff staff) {
        return new StaffPrincipal(UUID.fromString(staff.tenantId), staff.staffId, staff.email, staff.role);
    }

    private static Invitation view(StaffInvitation i) {
        return new Invitation(i.invitationId, i.email, i.role, i.invitedBy, i.createdAt, i.expiresAt);
    }

    private EntityManager entityManager() {
        return cellEntityManager.get();
    }
}
