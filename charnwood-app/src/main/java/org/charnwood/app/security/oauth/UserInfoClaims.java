package org.charnwood.app.security.oauth;

import org.charnwood.app.security.accounts.Account;
import org.charnwood.app.security.accounts.AccountStore;
import org.charnwood.fhir.FhirContexts;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.FhirRepository;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.security.oauth2.core.oidc.OidcUserInfo;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.oidc.authentication.OidcUserInfoAuthenticationContext;
import org.springframework.stereotype.Component;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * What the UserInfo endpoint says about the person a token is for (OpenID Connect Core 5.3, SMART App Launch 2.x):
 * {@code sub} always; with {@code profile}, their name ({@code name}, and {@code given_name}/{@code family_name}
 * from the name on their FHIR record); with {@code fhirUser}, the {@code fhirUser} the tokens carry. Only the
 * scopes of the access token presented count, so a token narrowed at refresh learns no more than it was given.
 * Nothing else from the record (NHS number, date of birth) is ever given here: no scope this server issues is for it.
 */
@Component
class UserInfoClaims implements Function<OidcUserInfoAuthenticationContext, OidcUserInfo> {

    private final FhirRepository repository;
    private final AccountStore accounts;

    UserInfoClaims(FhirRepository repository, AccountStore accounts) {
        this.repository = repository;
        this.accounts = accounts;
    }

    @Override
    public OidcUserInfo apply(OidcUserInfoAuthenticationContext context) {
        OAuth2Authorization authorization = context.getAuthorization();
        Map<String, Object> token = authorization.getAccessToken().getClaims();
        Set<String> scopes = token != null && token.get("scope") instanceof String granted
                ? Set.copyOf(Arrays.asList(granted.split(" "))) : context.getAccessToken().getScopes();
        OidcUserInfo.Builder info = OidcUserInfo.builder().subject(authorization.getPrincipalName());
        String fhirUser = token != null && token.get(SmartTokenClaims.FHIR_USER) instanceof String f && !f.isEmpty()
                ? f : null;
        if (scopes.contains("fhirUser") && fhirUser != null) {
            info.claim(SmartTokenClaims.FHIR_USER, fhirUser);
        }
        if (scopes.contains("profile")) {
            HumanName name = fhirUser == null ? null : nameOf(fhirUser);
            String whole = name == null ? null : name.hasText() ? name.getText() : name.getNameAsSingleString();
            if (whole == null || whole.isBlank()) {
                // Someone with no FHIR record (an analyst, say) is still known by the name on their account.
                Account account = accounts.byId(authorization.getPrincipalName());
                whole = account == null ? null : account.displayName();
            }
            if (whole != null && !whole.isBlank()) {
                info.name(whole);
            }
            if (name != null) {
                if (name.hasGiven()) {
                    info.givenName(name.getGivenAsSingleString());
                }
                if (name.hasFamily()) {
                    info.familyName(name.getFamily());
                }
            }
        }
        return info.build();
    }

    /** The name the person's FHIR record uses for them (official, else usual, else the first); null when none. */
    private HumanName nameOf(String fhirUser) {
        String[] parts = fhirUser.replaceFirst("^.*/(\\w+/[^/]+)$", "$1").split("/");
        if (parts.length != 2) {
            return null;
        }
        Resource resource;
        try {
            resource = (Resource) FhirContexts.r4().newJsonParser().parseResource(
                    repository.read(parts[0], parts[1]).json());
        } catch (FhirException notThere) {
            return null;
        }
        List<HumanName> names = switch (resource) {
            case Practitioner p -> p.getName();
            case Patient p -> p.getName();
            case RelatedPerson r -> r.getName();
            default -> List.of();
        };
        for (HumanName.NameUse use : new HumanName.NameUse[]{HumanName.NameUse.OFFICIAL, HumanName.NameUse.USUAL}) {
            for (HumanName name : names) {
                if (name.getUse() == use) {
                    return name;
                }
            }
        }
        return names.isEmpty() ? null : names.get(0);
    }
}
