package io.dftune.operator.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RbacRequestsTest {
    private static final String SERVER = "https://localhost:6443";

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "GET    | /apis/dftune.io/v1alpha1/finetunejobs?resourceVersion=0                  | dftune.io | finetunejobs        | list",
                "GET    | /apis/dftune.io/v1alpha1/finetunejobs?allowWatchBookmarks=true&watch=true | dftune.io | finetunejobs        | watch",
                "GET    | /apis/dftune.io/v1alpha1/namespaces/tests/finetunejobs/a                 | dftune.io | finetunejobs        | get",
                "PATCH  | /apis/dftune.io/v1alpha1/namespaces/tests/finetunejobs/a                 | dftune.io | finetunejobs        | patch",
                "PUT    | /apis/dftune.io/v1alpha1/namespaces/tests/finetunejobs/a/status          | dftune.io | finetunejobs/status | update",
                "DELETE | /apis/dftune.io/v1alpha1/namespaces/tests/finetunejobs/a                 | dftune.io | finetunejobs        | delete",
                "DELETE | /apis/batch/v1/namespaces/tests/jobs?labelSelector=a%3Db                  | batch     | jobs                | deletecollection",
                "POST   | /apis/batch/v1/namespaces/tests/jobs                                     | batch     | jobs                | create",
                "GET    | /api/v1/pods?labelSelector=app.kubernetes.io%2Fmanaged-by%3Ddftune&watch=true | ''   | pods                | watch",
                "POST   | /api/v1/namespaces/tests/events                                          | ''        | events              | create",
                "GET    | /api/v1/namespaces                                                       | ''        | namespaces          | list",
                "GET    | /api/v1/namespaces/tests                                                 | ''        | namespaces          | get",
            })
    void aResourceRequestNeedsTheVerbOfItsMethodAndPath(
            String method, String path, String group, String resource, String verb) {
        assertThat(RbacRequests.grant(method, URI.create(SERVER + path))).contains(new Grant(group, resource, verb));
    }

    @ParameterizedTest
    @CsvSource({"/version", "/api", "/api/v1", "/apis/dftune.io/v1alpha1", "/openapi/v2"})
    void discoveryIsNoResourceRequest(String path) {
        assertThat(RbacRequests.grant("GET", URI.create(SERVER + path))).isEqualTo(Optional.empty());
    }
}
