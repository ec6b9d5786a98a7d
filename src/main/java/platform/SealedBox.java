package platform;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.KEM;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Public-key sealing of small secrets for one recipient: DHKEM(X25519, HKDF-SHA256) from the JDK's
 * {@link KEM} API derives a fresh AES-256 key per message, and AES-GCM encrypts the message under it,
 * authenticating a context string (for example a tenant id) so that a sealed value cannot be replayed
 * in another context. Only the holder of the recipient's private key can open it.
 *
 * <p>Sealed form: {@code sealed1.<key id>.<encapsulation>.<nonce>.<ciphertext>} (base64url parts), where
 * the key id names the recipient key ({@link #keyId}) so a recipient that rotated its key knows which
 * one to use.
 */
public final class SealedBox {

    private static final String PREFIX = "sealed1";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int MAX_SEALED_LENGTH = 4096;

    private SealedBox() {}

    /** Thrown when a sealed value is malformed, for another key, or fails authentication. */
    public static final class Unsealable extends Exception {
        Unsealable(String message) {
            super(message);
        }
    }

    /** A new recipient key pair (X25519). */
    public static KeyPair newKeyPair() {
        try {
            return KeyPairGenerator.getInstance("X25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("X25519 is not available", e);
        }
    }

    /** The public key in its published form (base64url of its X.509 encoding). */
    public static String publicKeyText(PublicKey key) {
        return B64.encodeToString(key.getEncoded());
    }

    /** The private key in its stored form (base64url of its PKCS #8 encoding). */
    public static String privateKeyText(PrivateKey key) {
        return B64.encodeToString(key.getEncoded());
    }

    /** A public key from its published form, if it is one. */
    public static Optional<PublicKey> publicKey(String text) {
        try {
            return Optional.of(KeyFactory.getInstance("X25519").generatePublic(new X509EncodedKeySpec(B64D.decode(text))));
        } catch (GeneralSecurityException | IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
    }

    /** A private key from its stored form. */
    public static PrivateKey privateKey(String text) {
        try {
            return KeyFactory.getInstance("X25519").generatePrivate(new PKCS8EncodedKeySpec(B64D.decode(text)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("not an X25519 private key", e);
        }
    }

    /** A short, stable id of a public key: the first 8 bytes of the SHA-256 of its encoding, in hex. */
    public static String keyId(PublicKey key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Seals a message for the holder of the private key matching {@code recipient}, bound to {@code context}. */
    public static String seal(String message, PublicKey recipient, String context) {
        try {
            KEM.Encapsulated encapsulated = KEM.getInstance("DHKEM").newEncapsulator(recipient).encapsulate(0, 32, "AES");
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, encapsulated.key(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] ciphertext = cipher.doFinal(message.getBytes(StandardCharsets.UTF_8));
            return String.join(".", PREFIX, keyId(recipient), B64.encodeToString(encapsulated.encapsulation()),
                    B64.encodeToString(nonce), B64.encodeToString(ciphertext));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sealing failed", e);
        }
    }

    /** The key id a sealed value was made for, if the value has the sealed form. */
    public static Optional<String> recipientKeyId(String sealed) {
        if (sealed == null || sealed.length() > MAX_SEALED_LENGTH) {
            return Optional.empty();
        }
        String[] parts = sealed.split("\\.", -1);
        return parts.length == 5 && PREFIX.equals(parts[0]) && parts[1].matches("[0-9a-f]{16}")
                ? Optional.of(parts[1]) : Optional.empty();
    }

    /** Opens a value sealed for {@code keys}' public key in the same {@code context}. */
    public static String open(String sealed, KeyPair keys, String context) throws Unsealable {
        Optional<String> keyId = recipientKeyId(sealed);
        if (keyId.isEmpty()) {
            throw new Unsealable("not a sealed value");
        }
        if (!keyId.get().equals(keyId(keys.getPublic()))) {
            throw new Unsealable("sealed for key " + keyId.get() + ", not for " + keyId(keys.getPublic()));
        }
        String[] parts = sealed.split("\\.", -1);
        try {
            byte[] encapsulation = B64D.decode(parts[2]);
            byte[] nonce = B64D.decode(parts[3]);
            byte[] ciphertext = B64D.decode(parts[4]);
            if (nonce.length != NONCE_BYTES) {
                throw new Unsealable("bad nonce");
            }
            SecretKey key = KEM.getInstance("DHKEM").newDecapsulator(keys.getPrivate()).decapsulate(encapsulation, 0, 32, "AES");
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(ciphertext), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new Unsealable("cannot open: " + e.getClass().getSimpleName());
        }
    }
}
