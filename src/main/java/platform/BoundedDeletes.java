package platform;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.jboss.logging.Logger;

/**
 * Deletes old rows over every shop of a cell in bounded batches: one statement a batch, each in a short transaction of
 * its own ({@link AcrossShops}, in the job's mode, which its row-level policies admit), until a batch finds fewer rows
 * than it may take, the run has taken {@code maxBatches}, or it has run {@link #RUN_BUDGET} (a job that falls behind
 * catches up over its next runs, a batch at a time, never in one long transaction). The statement deletes at most {@code batch} rows and returns
 * how many (for example {@code with gone as (delete ... returning 1) select count(*) from gone}).
 */
@ApplicationScoped
public class BoundedDeletes {

    private static final Logger LOG = Logger.getLogger(BoundedDeletes.class);

    /** The longest one run deletes for. */
    public static final java.time.Duration RUN_BUDGET = java.time.Duration.ofSeconds(30);

    @Inject AcrossShops acrossShops;

    /**
     * Runs the batches; returns the rows deleted. A failure ends the run (logged; the next run goes on).
     *
     * @param what       what is deleted, for the log
     * @param parameters the statement's parameters
     */
    public long run(String what, String mode, String statement, int batch, int maxBatches, Object... parameters) {
        long deleted = 0;
        long until = System.nanoTime() + RUN_BUDGET.toNanos();
        try {
            for (int i = 0; i < maxBatches && System.nanoTime() < until; i++) {
                long rows = acrossShops.call(mode, connection -> {
                    try (PreparedStatement delete = connection.prepareStatement(statement)) {
                        for (int p = 0; p < parameters.length; p++) {
                            delete.setObject(p + 1, parameters[p]);
                        }
                        try (ResultSet count = delete.executeQuery()) {
                            return count.next() ? count.getLong(1) : 0L;
                        }
                    }
                });
                deleted += rows;
                if (rows < batch) {
                    break;
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf("%s not deleted this run (the next one tries again): %s", what, e.toString());
        }
        return deleted;
    }
}
