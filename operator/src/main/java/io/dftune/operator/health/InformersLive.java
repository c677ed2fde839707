package io.dftune.operator.health;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

/**
 * {@code /q/health/live}: DOWN once an informer has stopped for good ({@link StoppedInformers}),
 * naming it and its error, so the liveness probe restarts the operator. A watch that breaks and
 * reconnects is not a stop; neither is a standby replica, whose informers run while another leads.
 */
@Liveness
@ApplicationScoped
public class InformersLive implements HealthCheck {
    public static final String NAME = "informers";

    private final StoppedInformers stopped;

    public InformersLive(StoppedInformers stopped) {
        this.stopped = stopped;
    }

    @Override
    public HealthCheckResponse call() {
        Map<String, String> failed = stopped.failed();
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME).status(failed.isEmpty());
        failed.forEach(response::withData);
        return response.build();
    }
}
