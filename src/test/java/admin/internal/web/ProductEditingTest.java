package admin.internal.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProductEditingTest {

    @Test
    void catalogueFieldsBecomeTheEditorsFieldsOfTheRowTheyCameFrom() {
        // rows 0 and 2 were filled, row 1 was left empty: the service's second variant is the editor's row 2
        List<Integer> rows = List.of(0, 2);
        assertEquals("variants[2].price", ProductEditing.renameVariantField("variants[1].priceMinor", rows));
        assertEquals("variants[0].stock", ProductEditing.renameVariantField("variants[0].inventory", rows));
        assertEquals("variants[2].sku", ProductEditing.renameVariantField("variants[1].sku", rows));
        assertEquals("variants[0].currency", ProductEditing.renameVariantField("variants[0].currency", rows));
        assertEquals("variants", ProductEditing.renameVariantField("variants", rows));
        assertEquals("handle", ProductEditing.renameVariantField("handle", rows));
        assertEquals("variants[3].title", ProductEditing.renameRowField(3, "title"));
        assertEquals("variants[3].stock", ProductEditing.renameRowField(3, "delta"));
    }

    @Test
    void formsKeepValuesAndShowServiceMessagesAsSentences() {
        Form form = new Form().set("title", "Mug");
        form.reject(platform.ProblemException.invalidField("variants[0].currency", "is not an ISO 4217 currency code"),
                f -> f);
        form.reject(platform.ProblemException.conflict("handle", "A product with handle mug exists."), f -> f);
        assertEquals("Mug", form.value("title"));
        assertEquals("Is not an ISO 4217 currency code.", form.error("variants[0].currency"));
        assertEquals("A product with handle mug exists.", form.error("handle"));
        assertEquals("A product with handle mug exists.", form.message());
    }
}
