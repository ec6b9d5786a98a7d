package platform;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;
import testsupport.Infra;
import testsupport.OutboxRows;

/** The cell node deletes published outbox rows older than the retention, and nothing else. */
@QuarkusIntegrationTest
@TestProfile(CellRoleProfile.class)
class CellOutboxCleanupIT {

    @Test
    void publishedRowsOlderThanTheRetentionAreDeleted() throws Exception {
        OutboxRows.assertOnlyOldPublishedRowsAreDeleted(Infra.TEST_CELL_DB);
    }
}
