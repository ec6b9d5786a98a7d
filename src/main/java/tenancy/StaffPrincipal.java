package tenancy;

import java.util.UUID;

/** The signed-in staff member of an admin request. */
public record StaffPrincipal(UUID tenantId, UUID staffId, String email, String role) {}
