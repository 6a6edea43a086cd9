package io.llmobservatory.shared.semconv;

import static io.llmobservatory.shared.semconv.AttributeKey.stringKey;

/** Resource semantic conventions the pipeline reads. */
public final class ResourceAttributes {
    private ResourceAttributes() {
    }

    public static final AttributeKey SERVICE_NAME = stringKey("service.name");
    /** What OpenTelemetry SDKs report when the application set no service name. */
    public static final String UNKNOWN_SERVICE = "unknown_service";
}
