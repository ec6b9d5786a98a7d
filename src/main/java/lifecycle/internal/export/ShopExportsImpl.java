package lifecycle.internal.export;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import lifecycle.ShopExports;
import lifecycle.internal.tables.TenantTable;
import tenancy.TenantContext;

/** {@link ShopExports} of the bound tenant, as owner's exports ({@link ExportJobs}). */
@ApplicationScoped
public class ShopExportsImpl implements ShopExports {

    /** Where a download link leads (the archive's resource). */
    public static final String DOWNLOAD_PATH = "/api/admin/export-archives";

    @Inject ExportJobs jobs;
    @Inject TenantContext tenant;

    @Override
    public Export request(String requestedBy) {
        return view(jobs.request(tenant.require(), TenantTable.Scope.OWNER, requestedBy));
    }

    @Override
    public List<Export> list(int limit) {
        return jobs.list(tenant.require(), limit).stream().map(ShopExportsImpl::view).toList();
    }

    @Override
    public Optional<String> downloadLink(UUID exportId) {
        return jobs.link(tenant.require(), exportId).map(link -> DOWNLOAD_PATH + "/" + exportId + "?token=" + link.token());
    }

    private static Export view(ExportJobs.Job job) {
        return new Export(job.id(), job.status(), job.rows(), job.sizeBytes(), job.createdAt(), job.finishedAt(), job.expiresAt(),
                job.error());
    }
}
