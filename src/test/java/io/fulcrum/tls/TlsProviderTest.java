package io.fulcrum.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.ssl.OpenSsl;
import org.junit.jupiter.api.Test;

class TlsProviderTest {
    @Test
    void openSslThroughTcnativeLoadsHere() {
        // CI runs on linux-x86_64, whose tcnative file is in the pom: if this fails, we fell back to the JDK
        assertThat(OpenSsl.isAvailable()).as("OpenSsl.isAvailable(), cause: %s", OpenSsl.unavailabilityCause()).isTrue();
        assertThat(TlsProvider.current().isOpenSsl()).isTrue();
        assertThat(TlsProvider.current().description()).contains("BoringSSL");
    }

    @Test
    void boringSslHonoursEveryTableProtocolIncludingTls10() {
        for (String name : SslPolicy.names()) {
            assertThat(TlsProvider.current().refusal(SslPolicy.byName(name))).as(name).isNull();
        }
    }

    @Test
    void boringSslLacksOnlyTheCbcSha2Ciphers() {
        assertThat(TlsProvider.current().missingCiphers(SslPolicy.byName("ELBSecurityPolicy-TLS13-1-2-2021-06")))
                .containsExactlyInAnyOrder("ECDHE-ECDSA-AES128-SHA256", "ECDHE-RSA-AES128-SHA256",
                        "ECDHE-ECDSA-AES256-SHA384", "ECDHE-RSA-AES256-SHA384", "AES128-SHA256", "AES256-SHA256");
        assertThat(TlsProvider.current().missingCiphers(SslPolicy.byName("ELBSecurityPolicy-TLS13-1-2-Res-2021-06")))
                .isEmpty();
    }

    @Test
    void theJdkRefusesPoliciesWithTls10And11() {
        TlsProvider jdk = TlsProvider.jdk();
        assertThat(jdk.refusal(SslPolicy.byName("ELBSecurityPolicy-TLS13-1-2-2021-06"))).isNull();
        assertThat(jdk.refusal(SslPolicy.byName("ELBSecurityPolicy-2016-08")))
                .contains("refuses TLSv1.1 and TLSv1")
                .contains("jdk.tls.disabledAlgorithms");
    }
}
