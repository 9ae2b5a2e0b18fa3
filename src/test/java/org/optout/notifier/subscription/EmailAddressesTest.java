package org.optout.notifier.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EmailAddressesTest {

    @Test
    void domainIsLowerCasedAndTheMailboxKept() {
        assertThat(EmailAddresses.normalise("  Ada.Lovelace+news@Example.ORG ")).contains("Ada.Lovelace+news@example.org");
    }

    @Test
    void internationalDomainsAreStoredInAsciiForm() {
        assertThat(EmailAddresses.normalise("chan@例子.香港")).contains("chan@xn--fsqu00a.xn--j6w193g");
    }

    @Test
    void malformedAddressesAreRefused() {
        assertThat(EmailAddresses.normalise("no-at-sign")).isEmpty();
        assertThat(EmailAddresses.normalise("@example.org")).isEmpty();
        assertThat(EmailAddresses.normalise("a@localhost")).as("no top-level domain").isEmpty();
        assertThat(EmailAddresses.normalise("two..dots@example.org")).isEmpty();
        assertThat(EmailAddresses.normalise("a b@example.org")).isEmpty();
        assertThat(EmailAddresses.normalise("<a@example.org>")).isEmpty();
        assertThat(EmailAddresses.normalise("x".repeat(65) + "@example.org")).as("local part over 64").isEmpty();
        assertThat(EmailAddresses.normalise("a@" + "d".repeat(250) + ".org")).as("over 254").isEmpty();
    }

    @Test
    void logsSeeOnlyTheFirstLetterAndTheDomain() {
        assertThat(EmailAddresses.mask("ada@example.org")).isEqualTo("a***@example.org");
        assertThat(EmailAddresses.mask("nonsense")).isEqualTo("***");
    }
}
