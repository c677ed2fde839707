package io.dftune.trainer.grpc;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import io.dftune.spec.InvalidSpecException;
import io.dftune.spec.SpecException;
import io.dftune.spec.Violation;
import io.dftune.spec.run.ErrorText;
import io.dftune.trainer.service.GenerationsBusyException;
import io.dftune.trainer.service.NoActiveRunException;
import io.dftune.trainer.service.NoSuchCheckpointException;
import io.dftune.trainer.service.RunAlreadyStartedException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;

/** Maps the service's failures to gRPC status codes with a one-line description. */
final class GrpcErrors {
    private GrpcErrors() {}

    static StatusRuntimeException of(Throwable e) {
        if (e instanceof StatusRuntimeException s) {
            return s;
        }
        if (e instanceof InvalidSpecException invalid) {
            return invalidSpec(invalid);
        }
        String message = ErrorText.oneLine(e);
        Status status;
        if (e instanceof SpecException || e instanceof IllegalArgumentException) {
            status = Status.INVALID_ARGUMENT;
        } else if (e instanceof RunAlreadyStartedException || e instanceof NoActiveRunException) {
            status = Status.FAILED_PRECONDITION;
        } else if (e instanceof NoSuchCheckpointException) {
            status = Status.NOT_FOUND;
        } else if (e instanceof GenerationsBusyException) {
            status = Status.RESOURCE_EXHAUSTED;
        } else {
            status = Status.INTERNAL;
        }
        return status.withDescription(message).withCause(e).asRuntimeException();
    }

    /** INVALID_ARGUMENT naming every field, also as a google.rpc.BadRequest detail for programs. */
    private static StatusRuntimeException invalidSpec(InvalidSpecException e) {
        BadRequest.Builder details = BadRequest.newBuilder();
        for (Violation v : e.getViolations()) {
            details.addFieldViolations(
                    BadRequest.FieldViolation.newBuilder().setField(v.field()).setDescription(v.message()));
        }
        return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
                .setCode(Code.INVALID_ARGUMENT_VALUE)
                .setMessage(ErrorText.oneLine(e))
                .addDetails(Any.pack(details.build()))
                .build());
    }
}
