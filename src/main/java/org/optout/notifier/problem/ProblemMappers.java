package org.optout.notifier.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.logging.Log;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.optout.notifier.ratelimit.RateLimitedException;

/**
 * Turns every failure of a REST call into an {@code application/problem+json} response. No class name, stack trace,
 * address or token ever reaches the client.
 */
public class ProblemMappers {

    @ServerExceptionMapper
    public Response invalid(InvalidRequestException e) {
        return respond(new Problem("about:blank", "Invalid request", 400,
                "One or more fields break a rule; see errors.", e.errors()));
    }

    @ServerExceptionMapper
    public Response unreadable(JsonProcessingException e) {
        String field = e instanceof JsonMappingException mapping ? path(mapping.getPath()) : "";
        if (field.isEmpty()) {
            return respond(Problem.of(400, "Invalid request", "The body is not valid JSON."));
        }
        return respond(new Problem("about:blank", "Invalid request", 400, "A field has the wrong type.",
                List.of(new FieldError(field, "type", "has the wrong type"))));
    }

    /** Quarkus maps this one itself, without the field; ours names it. */
    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e) {
        return unreadable(e);
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundProblem e) {
        return respond(Problem.of(404, "Not found", e.getMessage()));
    }

    @ServerExceptionMapper
    public Response conflict(ConflictProblem e) {
        return respond(Problem.of(409, "Conflict", e.getMessage()));
    }

    @ServerExceptionMapper
    public Response rateLimited(RateLimitedException e) {
        return Response.fromResponse(respond(Problem.of(429, "Too many requests",
                "Too many requests from your network; try again later.")))
                .header("Retry-After", e.retryAfter().toSeconds())
                .build();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException unreadableBody) {
            return unreadable(unreadableBody);
        }
        Response.StatusType status = e.getResponse().getStatusInfo();
        return respond(Problem.of(status.getStatusCode(), status.getReasonPhrase(), null));
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        // Types only: database and mail errors quote the values involved, addresses included.
        Log.errorf("Unexpected failure of a request: %s", causes(e));
        return respond(Problem.of(500, "Internal error", "Something went wrong on our side; nothing was changed."));
    }

    static String causes(Throwable e) {
        StringBuilder chain = new StringBuilder(e.getClass().getName());
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            chain.append(" <- ").append(cause.getClass().getName());
        }
        return chain.toString();
    }

    private static Response respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    private static String path(List<JsonMappingException.Reference> path) {
        return path.stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }
}
