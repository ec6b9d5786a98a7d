package platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import org.junit.jupiter.api.Test;

class SealedBoxTest {

    private final KeyPair cell = SealedBox.newKeyPair();

    @Test
    void theRecipientOpensWhatWasSealedForIt() throws Exception {
        String sealed = SealedBox.seal("argon2id-hash", cell.getPublic(), "tenant-1");
        assertEquals("argon2id-hash", SealedBox.open(sealed, cell, "tenant-1"));
        assertFalse(sealed.contains("argon2id-hash"));
        assertEquals(SealedBox.keyId(cell.getPublic()), SealedBox.recipientKeyId(sealed).orElseThrow());
    }

    @Test
    void eachSealingIsFresh() {
        assertNotEquals(SealedBox.seal("x", cell.getPublic(), "t"), SealedBox.seal("x", cell.getPublic(), "t"));
    }

    @Test
    void anotherKeyCannotOpenIt() {
        KeyPair other = SealedBox.newKeyPair();
        String sealed = SealedBox.seal("secret", cell.getPublic(), "t");
        assertThrows(SealedBox.Unsealable.class, () -> SealedBox.open(sealed, other, "t"));
        // even when the key id is forged to name the other key
        String forged = sealed.replace(SealedBox.keyId(cell.getPublic()), SealedBox.keyId(other.getPublic()));
        assertThrows(SealedBox.Unsealable.class, () -> SealedBox.open(forged, other, "t"));
    }

    @Test
    void itIsBoundToItsContext() {
        String sealed = SealedBox.seal("secret", cell.getPublic(), "tenant-1");
        assertThrows(SealedBox.Unsealable.class, () -> SealedBox.open(sealed, cell, "tenant-2"));
    }

    @Test
    void tamperingAndGarbageAreRefused() {
        String sealed = SealedBox.seal("secret", cell.getPublic(), "t");
        int at = sealed.lastIndexOf('.') + 2; // inside the ciphertext (a last base64 character may carry only padding bits)
        String tampered = sealed.substring(0, at) + (sealed.charAt(at) == 'A' ? 'B' : 'A') + sealed.substring(at + 1);
        assertThrows(SealedBox.Unsealable.class, () -> SealedBox.open(tampered, cell, "t"));
        for (String garbage : new String[] {"", "sealed1", "sealed1.zz.a.b.c", "pbkdf2-sha256$1$a$b", "sealed1." + "0".repeat(16) + ".!.!.!"}) {
            assertThrows(SealedBox.Unsealable.class, () -> SealedBox.open(garbage, cell, "t"), garbage);
        }
        assertTrue(SealedBox.recipientKeyId(null).isEmpty());
    }

    @Test
    void keysSurviveTheirTextForms() throws Exception {
        KeyPair restored = new KeyPair(SealedBox.publicKey(SealedBox.publicKeyText(cell.getPublic())).orElseThrow(),
                SealedBox.privateKey(SealedBox.privateKeyText(cell.getPrivate())));
        assertEquals("m", SealedBox.open(SealedBox.seal("m", cell.getPublic(), "c"), restored, "c"));
        assertTrue(SealedBox.publicKey("not-a-key").isEmpty());
    }
}
