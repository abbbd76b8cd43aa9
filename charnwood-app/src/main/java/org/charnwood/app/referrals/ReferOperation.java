package org.charnwood.app.referrals;

import org.charnwood.app.fhirapi.FhirOperation;
import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.FhirContexts;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationDefinition;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * {@code POST /fhir/ServiceRequest/$refer}: the way referrals come in over FHIR. The body is the ServiceRequest
 * with its QuestionnaireResponse contained (and named in {@code supportingInfo}), or a Bundle (transaction,
 * batch or collection, as a GP system or partner builds one) holding the ServiceRequest and the
 * QuestionnaireResponse. The answer is 201 with the stored ServiceRequest, or an OperationOutcome: 422 with one
 * issue per missing or invalid item and per unmet rule (plus a better service when there is one), 409 for a
 * duplicate of an open referral.
 */
@Component
class ReferOperation implements FhirOperation {

    static final String DEFINITION = "referrals/OperationDefinition-ServiceRequest-refer.json";

    private final ReferralIntake intake;
    private final OperationDefinition definition;

    ReferOperation(ReferralIntake intake) {
        this.intake = intake;
        try (var in = ReferOperation.class.getClassLoader().getResourceAsStream(DEFINITION)) {
            this.definition = FhirContexts.r4().newJsonParser().parseResource(OperationDefinition.class, in);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("reading " + DEFINITION + " failed", e);
        }
    }

    @Override
    public OperationDefinition definition() {
        return definition.copy();
    }

    @Override
    public boolean serves(String method, String type, boolean instance, String name) {
        return "refer".equals(name) && "ServiceRequest".equals(type) && !instance && "POST".equals(method);
    }

    @Override
    public Result invoke(Request request) {
        Resource body = request.body();
        ServiceRequest referral;
        QuestionnaireResponse answers = null;
        if (body instanceof ServiceRequest sr) {
            referral = sr;
        } else if (body instanceof Bundle bundle) {
            List<Resource> resources = bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                    .filter(java.util.Objects::nonNull).toList();
            List<ServiceRequest> requests = resources.stream().filter(ServiceRequest.class::isInstance)
                    .map(ServiceRequest.class::cast).toList();
            List<QuestionnaireResponse> responses = resources.stream().filter(QuestionnaireResponse.class::isInstance)
                    .map(QuestionnaireResponse.class::cast).toList();
            if (requests.size() != 1 || responses.size() > 1 || resources.size() != requests.size() + responses.size()) {
                throw FhirException.unprocessable(ErrorCode.REFERRAL_INVALID, "A referral Bundle holds one "
                        + "ServiceRequest and its QuestionnaireResponse, nothing else", "Bundle.entry");
            }
            referral = requests.get(0);
            answers = responses.isEmpty() ? null : responses.get(0);
        } else {
            throw FhirException.unprocessable(ErrorCode.REFERRAL_INVALID, "$refer takes a ServiceRequest (its "
                    + "QuestionnaireResponse contained) or a Bundle of the two", null);
        }
        ReferralIntake.Received received = intake.receive(new ReferralIntake.Submission(referral, answers,
                ReferralIntake.Channel.FHIR_API, request.requester()));
        ServiceRequest stored = received.request().copy();
        stored.setId(received.id());
        return new Result(201, stored, "ServiceRequest/" + received.id() + "/_history/1");
    }
}
