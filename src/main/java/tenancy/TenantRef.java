package tenancy;

import java.util.UUID;

/** A tenant served by this cell, as the request pipeline needs it. */
public record TenantRef(UUID id, String handle, String status, String plan) {

    public boolean active() {
        return "active".equals(status);
    }
}
