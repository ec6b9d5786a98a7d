package platform;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;
import testsupport.Infra;
import testsupport.OutboxRows;

/** The control node deletes published outbox rows older than the retention, and nothing else. */
@QuarkusIntegrationTest
@TestProfile(ControlRoleProfile.class)
class ControlOutboxCleanupIT {

    @Test
    void publishedRowsOlderThanTheRetentionAreDeleted() throws Exception {
        OutboxRows.assertOnlyOldPublishedRowsAreDeleted(Infra.TEST_CONTROL_DB);
    }
}
