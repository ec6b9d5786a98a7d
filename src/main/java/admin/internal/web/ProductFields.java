package admin.internal.web;

import java.util.ArrayList;
import java.util.List;
import org.jboss.resteasy.reactive.RestForm;

/**
 * The fields of the product editor as posted. Variant inputs come as parallel lists in row order
 * (text inputs are always posted, empty or not); "remove" lists the indexes of ticked rows.
 */
public class ProductFields {

    @RestForm public String handle;
    @RestForm public String title;
    @RestForm public String description;
    @RestForm public String status;
    @RestForm("collections") public List<String> collections = new ArrayList<>();
    @RestForm public String newCollection;
    @RestForm("variantId") public List<String> ids = new ArrayList<>();
    @RestForm("variantSku") public List<String> skus = new ArrayList<>();
    @RestForm("variantTitle") public List<String> titles = new ArrayList<>();
    @RestForm("variantPrice") public List<String> prices = new ArrayList<>();
    @RestForm("variantCurrency") public List<String> currencies = new ArrayList<>();
    @RestForm("variantStock") public List<String> stocks = new ArrayList<>();
    @RestForm("variantStockWas") public List<String> stocksWas = new ArrayList<>();
    @RestForm("remove") public List<String> removed = new ArrayList<>();
    /** {@code save}, or {@code add-variant} to show one more empty variant row. */
    @RestForm public String action;

    /** How many variant rows were posted (at most 100 are read). */
    int rows() {
        return Math.min(100, skus == null ? 0 : skus.size());
    }

    static String at(List<String> values, int index) {
        return values != null && index < values.size() && values.get(index) != null ? values.get(index).strip() : "";
    }
}
