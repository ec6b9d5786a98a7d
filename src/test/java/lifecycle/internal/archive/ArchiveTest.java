package lifecycle.internal.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** An archive read back as it was written, and every way a damaged one is told apart. */
class ArchiveTest {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    @Test
    void whatIsWrittenIsReadBackRowByRowAndVerified() throws Exception {
        byte[] archive = archive(3, 100_000);
        try (ArchiveReader reader = new ArchiveReader(new ByteArrayInputStream(archive), JSON)) {
            List<String> names = new ArrayList<>();
            long rows = 0;
            Optional<ArchiveReader.TableRows> table;
            while ((table = reader.nextTable()).isPresent()) {
                names.add(table.get().name());
                String line;
                while ((line = table.get().nextLine()) != null) {
                    assertTrue(line.startsWith("{\"id\": "), line);
                    rows++;
                }
            }
            reader.verify();
            assertEquals(List.of("a_table", "b_table", "c_table"), names);
            assertEquals(3 * 100_000, rows);
            assertEquals(rows, reader.manifest().rows());
        }
    }

    @Test
    void aTruncatedArchiveIsToldWithTheTableItBreaksIn() throws Exception {
        byte[] archive = archive(2, 50_000);
        for (int cut : new int[] {archive.length / 4, archive.length / 2, archive.length - 400}) {
            ArchiveException failure = assertThrows(ArchiveException.class, () -> readAll(Arrays.copyOf(archive, cut)));
            assertTrue(failure.table().isPresent() || failure.getMessage().contains("manifest"), failure.getMessage());
        }
    }

    @Test
    void aChangedRowOrCountIsToldWithItsTable() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ArchiveWriter writer = new ArchiveWriter(out, JSON);
        ArchiveWriter.TableSink sink = writer.table("a_table", List.of("id"));
        sink.row("{\"id\": 1}");
        writer.table("b_table", List.of("id")).row("{\"id\": 2}");
        writer.finish(tables -> {
            List<Manifest.Table> changed = new ArrayList<>(tables);
            Manifest.Table b = changed.get(1);
            changed.set(1, new Manifest.Table(b.name(), b.columns(), b.rows(), "00" + b.sha256().substring(2)));
            return manifest(changed, 2);
        });
        ArchiveException failure = assertThrows(ArchiveException.class, () -> readAll(out.toByteArray()));
        assertEquals(Optional.of("b_table"), failure.table());
    }

    @Test
    void aTableTheManifestListsButTheArchiveLacksIsNamed() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ArchiveWriter writer = new ArchiveWriter(out, JSON);
        writer.table("a_table", List.of("id")).row("{\"id\": 1}");
        writer.finish(tables -> {
            List<Manifest.Table> more = new ArrayList<>(tables);
            more.add(new Manifest.Table("z_table", List.of("id"), 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
            return manifest(more, 1);
        });
        ArchiveException failure = assertThrows(ArchiveException.class, () -> readAll(out.toByteArray()));
        assertEquals(Optional.of("z_table"), failure.table());
    }

    @Test
    void somethingElseThanAnArchiveIsRefused() {
        assertThrows(ArchiveException.class, () -> readAll(new byte[0]));
        assertThrows(ArchiveException.class, () -> readAll("not a zip at all".getBytes()));
    }

    private static void readAll(byte[] archive) throws ArchiveException, IOException {
        try (ArchiveReader reader = new ArchiveReader(new ByteArrayInputStream(archive), JSON)) {
            Optional<ArchiveReader.TableRows> table;
            while ((table = reader.nextTable()).isPresent()) {
                while (table.get().nextLine() != null) {
                    // read every row
                }
            }
            reader.verify();
        }
    }

    private static byte[] archive(int tables, int rowsEach) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ArchiveWriter writer = new ArchiveWriter(out, JSON);
        for (int t = 0; t < tables; t++) {
            ArchiveWriter.TableSink sink = writer.table((char) ('a' + t) + "_table", List.of("id", "title"));
            for (int i = 0; i < rowsEach; i++) {
                sink.row("{\"id\": " + i + ", \"title\": \"row " + i + " of table " + t + "\"}");
            }
        }
        long total = (long) tables * rowsEach;
        writer.finish(listed -> manifest(listed, total));
        return out.toByteArray();
    }

    private static Manifest manifest(List<Manifest.Table> tables, long rows) {
        return new Manifest(Manifest.FORMAT, "full", UUID.randomUUID(), "shop", "cell1", 20, "lifecycle-0001",
                Instant.parse("2026-12-07T00:00:00Z"), tables, rows);
    }
}
