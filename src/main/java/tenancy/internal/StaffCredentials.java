package tenancy.internal;

import io.quarkus.arc.WithCaching;
import io.quarkus.hibernate.orm.PersistenceUnit;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.util.Optional;
import java.util.UUID;
import tenancy.TenantTransactional;

/**
 * The stored password hashes of the bound tenant's staff, read and replaced in short transactions
 * of their own: passwords are hashed and checked between them, so that no request holds a
 * database connection (or a row lock) while a hash is computed.
 */
@ApplicationScoped
class StaffCredentials {

    /** A staff member's id and stored password hash, as read. */
    record Stored(UUID staffId, String passwordHash) {}

    /** Looked up on use: the cell persistence unit is inactive on other roles, where these beans never run. */
    @Inject @WithCaching @PersistenceUnit("cell") Instance<EntityManager> cellEntityManager;

    /** The account of a (normalised) email. */
    @TenantTransactional
    Optional<Stored> byEmail(String email) {
        return entityManager().createQuery("from Staff s where s.email = :email", Staff.class)
                .setParameter("email", email).getResultStream().findFirst()
                .map(staff -> new Stored(staff.staffId, staff.passwordHash));
    }

    /** The account of an id. */
    @TenantTransactional
    Optional<Stored> byId(UUID staffId) {
        Staff staff = entityManager().find(Staff.class, staffId);
        return staff == null ? Optional.empty() : Optional.of(new Stored(staff.staffId, staff.passwordHash));
    }

    /**
     * The staff member whose password was just checked against {@code seen}, with the stored hash
     * replaced by {@code replacement} if one is given and the stored one is still {@code seen}
     * (a password changed meanwhile is kept); empty if the account is gone.
     */
    @TenantTransactional
    Optional<Staff> checked(Stored seen, String replacement) {
        Staff staff = entityManager().find(Staff.class, seen.staffId(),
                replacement == null ? LockModeType.NONE : LockModeType.PESSIMISTIC_WRITE);
        if (staff != null && replacement != null && staff.passwordHash.equals(seen.passwordHash())) {
            staff.passwordHash = replacement;
        }
        return Optional.ofNullable(staff);
    }

    private EntityManager entityManager() {
        return cellEntityManager.get();
    }
}
