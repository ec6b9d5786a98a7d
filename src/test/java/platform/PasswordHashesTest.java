package platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Argon2id hashes in the PHC string format, the earlier PBKDF2 hashes, and when a hash is out of date. */
class PasswordHashesTest {

    /** Cheap factors: these tests are about the format and the rules, not the cost. */
    static final PasswordHashes.Argon2 CHEAP = new PasswordHashes.Argon2(1024, 1, 1);
    final PasswordHashes hashes = new PasswordHashes(CHEAP);

    @Test
    void aNewHashIsArgon2idInThePhcFormatAndVerifiesOnlyItsPassword() {
        String hash = hashes.hash("correct horse battery staple");
        assertTrue(hash.matches("\\$argon2id\\$v=19\\$m=1024,t=1,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}"), hash);
        assertTrue(hashes.verify("correct horse battery staple", hash));
        assertFalse(hashes.verify("correct horse battery stapl", hash));
        assertFalse(hashes.verify("", hash));
        assertFalse(hashes.verify(null, hash));
        assertNotEquals(hash, hashes.hash("correct horse battery staple"), "every hash has its own salt");
        assertTrue(PasswordHashes.isHash(hash));
        assertEquals(Optional.of(CHEAP), PasswordHashes.factorsOf(hash));
        assertFalse(hashes.needsRehash(hash));
    }

    @Test
    void theDefaultFactorsAreOwaspsMinimum() {
        String hash = new PasswordHashes(PasswordHashes.OWASP_MINIMUM).hash("a long passphrase");
        assertTrue(hash.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), hash);
        assertTrue(hashes.verify("a long passphrase", hash), "verified with the factors stored in the hash");
    }

    @Test
    void hashesOfTheReferenceImplementationVerify() {
        // made with the reference implementation's command-line tool (Debian's argon2 package):
        //   echo -n "correct horse battery staple" | argon2 saltsaltsaltsalt -id -t 2 -m 10 -p 1 -l 32 -e
        String reference = "$argon2id$v=19$m=1024,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$RC5JY/00hXKlnXZ/+PCVcJg84nuCQwbjIQ3DVCTomOQ";
        assertTrue(hashes.verify("correct horse battery staple", reference));
        assertFalse(hashes.verify("correct horse battery staple!", reference));
        //   echo -n "pässwörd 🔑" | argon2 0123456789abcdef -id -t 1 -m 9 -p 2 -l 32 -e   (UTF-8, two lanes)
        String twoLanes = "$argon2id$v=19$m=512,t=1,p=2$MDEyMzQ1Njc4OWFiY2RlZg$oC6Zn0gWqSc3OkGcuXQQ5YdA6gM7eUNiBDecEaLSsBQ";
        assertTrue(hashes.verify("pässwörd 🔑", twoLanes));
    }

    @Test
    void earlierPbkdf2HashesStillVerifyAndAlwaysNeedARehash() {
        String legacy = PasswordHashes.pbkdf2Hash("an old password", 120_000);
        assertTrue(legacy.startsWith("pbkdf2-sha256$120000$"), legacy);
        assertTrue(PasswordHashes.isHash(legacy));
        assertTrue(hashes.verify("an old password", legacy));
        assertFalse(hashes.verify("an old passwore", legacy));
        assertTrue(hashes.needsRehash(legacy));
        assertEquals(Optional.empty(), PasswordHashes.factorsOf(legacy));
    }

    @Test
    void argon2HashesWithAWeakerFactorNeedARehashAndStrongerOnesDoNot() {
        PasswordHashes target = new PasswordHashes(new PasswordHashes.Argon2(2048, 2, 2));
        assertTrue(target.needsRehash(new PasswordHashes(new PasswordHashes.Argon2(1024, 2, 2)).hash("p")), "less memory");
        assertTrue(target.needsRehash(new PasswordHashes(new PasswordHashes.Argon2(2048, 1, 2)).hash("p")), "fewer iterations");
        assertTrue(target.needsRehash(new PasswordHashes(new PasswordHashes.Argon2(2048, 2, 1)).hash("p")), "fewer lanes");
        assertFalse(target.needsRehash(target.hash("p")), "the target's own");
        assertFalse(target.needsRehash(new PasswordHashes(new PasswordHashes.Argon2(4096, 3, 2)).hash("p")), "stronger");
        // a short salt or hash (valid, but below what new hashes get) is replaced as well
        assertTrue(hashes.needsRehash("$argon2id$v=19$m=1024,t=2,p=1$c2FsdHNhbHQ$RC5JY/00hXKlnXZ/+PCVcJg84nuCQwbjIQ3DVCTomOQ"));
    }

    @Test
    void malformedOrOutOfBoundsValuesAreNoHashAndMatchNothing() {
        for (String bad : new String[] {null, "", "password", "$argon2id$v=19$m=1024,t=1,p=1$$",
                "$argon2i$v=19$m=1024,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$RC5JY/00hXKlnXZ/+PCVcJg84nuCQwbjIQ3DVCTomOQ",
                "$argon2id$v=16$m=1024,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$RC5JY/00hXKlnXZ/+PCVcJg84nuCQwbjIQ3DVCTomOQ",
                "$argon2id$v=19$m=4000000,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$RC5JY/00hXKlnXZ/+PCVcJg84nuCQwbjIQ3DVCTomOQ",
                "$argon2id$v=19$m=1024,t=0,p=1$c2FsdHNhbHRzYWx0c2FsdA$RC5JY/00hXKlnXZ/+PCVcJg84nuCQwbjIQ3DVCTomOQ",
                "$argon2id$v=19$m=1024,t=2,p=1$c2FsdHNhbHRzYWx0c2Fsd$RC5JY/00hXKlnXZ/+PCVcJg84nuCQwbjIQ3DVCTomOQ",
                "pbkdf2-sha256$120000$short$short"}) {
            assertFalse(PasswordHashes.isHash(bad), String.valueOf(bad));
            assertFalse(hashes.verify("correct horse battery staple", bad), String.valueOf(bad));
            assertTrue(hashes.needsRehash(bad), String.valueOf(bad));
        }
    }

    @Test
    void factorsOutOfBoundsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new PasswordHashes.Argon2(4, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new PasswordHashes.Argon2(1024, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new PasswordHashes.Argon2(1024, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new PasswordHashes.Argon2(PasswordHashes.Argon2.MAX_MEMORY_KIB + 1, 1, 1));
    }
}
