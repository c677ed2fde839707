package io.dftune.operator.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import io.dftune.spec.FineTuneJobSpec;
import io.dftune.spec.SpecBinding;
import java.io.IOException;

/**
 * Reads a FineTuneJob's spec as strictly as a job file, but never fails: a spec whose fields all
 * bind is a plain {@link FineTuneJobSpec}; otherwise an {@link UnboundSpec} that names the fields
 * that did not. One object the Java types cannot hold must not stop the informer, which would stop
 * the reconciliation of every FineTuneJob.
 */
public class SpecReader extends StdDeserializer<FineTuneJobSpec> {
    public SpecReader() {
        super(FineTuneJobSpec.class);
    }

    @Override
    public FineTuneJobSpec deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        JsonNode asRead = context.readTree(parser);
        SpecBinding.Result<FineTuneJobSpec> bound = SpecBinding.bind(asRead, FineTuneJobSpec.class);
        if (bound.violations().isEmpty()) {
            return bound.spec();
        }
        SpecBinding.Result<UnboundSpec> partly = SpecBinding.bind(asRead, UnboundSpec.class);
        return partly.spec().with(asRead, partly.violations());
    }
}
