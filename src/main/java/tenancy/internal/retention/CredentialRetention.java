package tenancy.internal.retention;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import platform.BoundedDeletes;
import platform.RetentionConfig;
import platform.RoleGate;

/**
 * Deletes API tokens, sign-in sessions and staff invitations once they have been expired for
 * {@code EXPIRED_CREDENTIAL_RETENTION} (a week: long enough to tell a staff member why a link stopped working), on each
 * cell node every {@code RETENTION_EVERY}, over every shop of the cell in bounded batches (through the indexes on their
 * expiry; the {@code app.credential_retention} policies admit reading and deleting them only). Tokens without an expiry
 * stay until they are revoked.
 *
 * <p>Metrics: {@code tenancy.credentials.deleted}.
 */
@ApplicationScoped
public class CredentialRetention {

    static final int BATCH = 1_000;
    /** Batches per run at most (a run also stops after {@link BoundedDeletes#RUN_BUDGET}). */
    static final int MAX_BATCHES = 500;

    @Inject RetentionConfig config;
    @Inject BoundedDeletes deletes;
    @Inject MeterRegistry registry;

    @Scheduled(identity = "credential-retention", every = "${storefront.retention.every}", delayed = "10s",
               skipExecutionIf = RoleGate.NotCell.class, concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        double seconds = config.expiredCredentials().toMillis() / 1000.0;
        long tokens = deletes.run("Expired API tokens and sessions", "app.credential_retention",
                "with old as (select tenant_id, token_digest from tenancy_api_token where expires_at < now() - make_interval(secs => ?)"
                        + " order by expires_at limit " + BATCH + "), gone as (delete from tenancy_api_token t using old"
                        + " where t.tenant_id = old.tenant_id and t.token_digest = old.token_digest returning 1)"
                        + " select count(*) from gone", BATCH, MAX_BATCHES, seconds);
        long invitations = deletes.run("Expired staff invitations", "app.credential_retention",
                "with old as (select tenant_id, invitation_id from tenancy_staff_invitation"
                        + " where expires_at < now() - make_interval(secs => ?) order by expires_at limit " + BATCH + "),"
                        + " gone as (delete from tenancy_staff_invitation i using old where i.tenant_id = old.tenant_id"
                        + " and i.invitation_id = old.invitation_id returning 1) select count(*) from gone", BATCH, MAX_BATCHES, seconds);
        registry.counter("tenancy.credentials.deleted").increment(tokens + invitations);
    }
}
