package tenancy.internal.commandkey;

import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import io.quarkus.arc.WithCaching;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.jboss.logging.Logger;
import platform.SealedBox;

/**
 * The cell's command key: the X25519 key pair for which the control plane seals credentials in
 * provisioning commands to this cell ({@link SealedBox}). Made by the first node of the cell that
 * needs it and kept in the cell's database, so that every node of the cell, and the cell after a
 * restart, opens what was sealed for it; the public half travels in the cell's heartbeats. Other
 * cells cannot open what is sealed for this one.
 */
@ApplicationScoped
public class CellCommandKey {

    private static final Logger LOG = Logger.getLogger(CellCommandKey.class);

    @Inject @WithCaching @DataSource("cell") Instance<AgroalDataSource> dataSource;

    private volatile KeyPair keys;

    /** The public key in its published form, made and stored if the cell has none yet. */
    public String publicKeyText() {
        return SealedBox.publicKeyText(keys().getPublic());
    }

    /** The id of the cell's current command key ({@link SealedBox#keyId}). */
    public String keyId() {
        return SealedBox.keyId(keys().getPublic());
    }

    /** Opens a credential sealed for this cell in the given context. */
    public String open(String sealed, String context) throws SealedBox.Unsealable {
        return SealedBox.open(sealed, keys(), context);
    }

    private KeyPair keys() {
        KeyPair current = keys;
        if (current == null) {
            synchronized (this) {
                current = keys;
                if (current == null) {
                    current = loadOrCreate();
                    keys = current;
                }
            }
        }
        return current;
    }

    private KeyPair loadOrCreate() {
        try (Connection connection = dataSource.get().getConnection()) {
            KeyPair stored = load(connection);
            if (stored != null) {
                return stored;
            }
            KeyPair made = SealedBox.newKeyPair();
            try (PreparedStatement insert = connection.prepareStatement("insert into tenancy_cell_key (key_id, public_key,"
                    + " private_key, current) values (?, ?, ?, true) on conflict do nothing")) {
                insert.setString(1, SealedBox.keyId(made.getPublic()));
                insert.setString(2, SealedBox.publicKeyText(made.getPublic()));
                insert.setString(3, SealedBox.privateKeyText(made.getPrivate()));
                insert.executeUpdate();
            }
            stored = load(connection); // another node of the cell may have made it first: theirs wins
            if (stored == null) {
                throw new IllegalStateException("the cell's command key was neither found nor stored");
            }
            LOG.infof("Command key %s of this cell in use", SealedBox.keyId(stored.getPublic()));
            return stored;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the cell's command key: " + e.getMessage(), e);
        }
    }

    private static KeyPair load(Connection connection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "select public_key, private_key from tenancy_cell_key where current");
             ResultSet row = query.executeQuery()) {
            if (!row.next()) {
                return null;
            }
            return new KeyPair(SealedBox.publicKey(row.getString(1)).orElseThrow(
                    () -> new IllegalStateException("the cell's stored command key is not an X25519 public key")),
                    SealedBox.privateKey(row.getString(2)));
        }
    }
}
