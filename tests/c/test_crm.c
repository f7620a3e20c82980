/* rb_crm_sync_* and rb_twilio_send_*: the CRM sync and the Twilio send machines from C, fed
 * canned answers (the HTTP is the host's). A new caller's decision into Salesforce: the lead
 * upsert, the call and the callback task, then nothing; into Zoho: a find by key before each
 * insert; a 401 stops it; an undocumented body is RB_INVALID_CRM; NULLs are refused. Its
 * text through Twilio to a recipient who replied STOP: a revocation in the outcome.
 *
 * usage: test_crm */
#include "check.h"

static const char *POLICY =
    "{\"version\": \"t1\", \"locations\": [{\"id\": \"phx-01\", \"name\": \"Phoenix\","
    " \"vertical\": \"home_services\", \"time_zone\": \"America/Phoenix\", \"country\": \"US\","
    " \"state\": \"AZ\", \"hours\": {\"tue\": [[\"07:00\", \"18:00\"]]}}]}";
static const char *EVENT =
    "{\"event_id\": \"CAL-1\", \"location_id\": \"phx-01\", \"occurred_at\": "
    "\"2026-11-24T09:15:00-07:00\", \"caller_number\": \"(602) 555-0143\", \"disposition\": "
    "\"no_answer\"}";
static const char *CREATED =
    "{\"status\": 201, \"headers\": [], \"body\": {\"id\": \"00Q5g00000LmNoPEA3\", \"success\": "
    "true, \"errors\": [], \"created\": true}}";

static char *decide(void) {
    rb_engine *engine = NULL;
    CHECK_STATUS(rb_engine_new(RB_TEXT(POLICY), &engine, NULL), RB_OK);
    rb_string d = {NULL, 0};
    CHECK_STATUS(rb_engine_process(engine, RB_TEXT(EVENT), NULL, 0, &d, NULL), RB_OK);
    char *copy = d.ptr != NULL ? strdup(d.ptr) : NULL;
    rb_string_free(&d);
    rb_engine_free(engine);
    return copy;
}

int main(void) {
    char *decision = decide();
    CHECK(decision != NULL);
    if (decision == NULL) {
        return check_summary("test_crm");
    }

    rb_crm_sync *sync = NULL;
    rb_error *err = NULL;
    CHECK_STATUS(rb_crm_sync_new(RB_TEXT("salesforce"), RB_TEXT(decision), NULL, 0, &sync, &err), RB_OK);
    int sent = 0;
    for (;;) {
        rb_string req = {NULL, 0};
        CHECK_STATUS(rb_crm_sync_next(sync, &req, NULL), RB_OK);
        if (req.ptr == NULL) {
            break;
        }
        if (sent == 0) {
            CHECK(strstr(req.ptr, "\"method\":\"PATCH\"") != NULL);
            CHECK(strstr(req.ptr, "/sobjects/Lead/Ringback_Key__c/phone%3A%2B16025550143") != NULL);
        }
        if (sent == 1) {
            CHECK(strstr(req.ptr, "/sobjects/Task/Ringback_Event_Id__c/CAL-1") != NULL);
            CHECK(strstr(req.ptr, "WhoId") != NULL);
        }
        rb_string_free(&req);
        CHECK_STATUS(rb_crm_sync_feed(sync, RB_TEXT(CREATED), NULL), RB_OK);
        if (++sent > 20) {
            break;
        }
    }
    CHECK(sent >= 3 && sent <= 6);
    rb_string outcome = {NULL, 0};
    CHECK_STATUS(rb_crm_sync_outcome(sync, &outcome, NULL), RB_OK);
    CHECK(outcome.ptr != NULL && strstr(outcome.ptr, "\"state\":\"done\"") != NULL);
    rb_string_free(&outcome);
    rb_crm_sync_free(sync);

    /* Zoho: Calls and Tasks cannot be upserted, so each is looked up by key (COQL) first. */
    sync = NULL;
    CHECK_STATUS(rb_crm_sync_new(RB_TEXT("zoho"), RB_TEXT(decision), NULL, 0, &sync, NULL), RB_OK);
    int finds = 0, inserts = 0;
    for (int n = 0; n < 30; n++) {
        rb_string r = {NULL, 0};
        CHECK_STATUS(rb_crm_sync_next(sync, &r, NULL), RB_OK);
        if (r.ptr == NULL) {
            break;
        }
        int coql = strstr(r.ptr, "/crm/v7/coql") != NULL;
        finds += coql;
        inserts += strstr(r.ptr, "\"path\":\"/crm/v7/Calls\"") != NULL;
        rb_string_free(&r);
        const char *answer = coql ? "{\"status\": 204, \"body\": \"\"}"
                                  : "{\"status\": 201, \"body\": {\"data\": [{\"code\": \"SUCCESS\", "
                                    "\"details\": {\"id\": \"5725767000000412001\"}, \"status\": \"success\"}]}}";
        CHECK_STATUS(rb_crm_sync_feed(sync, RB_TEXT(answer), NULL),
                     RB_OK);
    }
    CHECK(finds >= 2 && inserts == 1);
    CHECK_STATUS(rb_crm_sync_outcome(sync, &outcome, NULL), RB_OK);
    CHECK(outcome.ptr != NULL && strstr(outcome.ptr, "\"state\":\"done\"") != NULL);
    rb_string_free(&outcome);
    rb_crm_sync_free(sync);

    /* Twilio: the first text; the recipient replied STOP (21610) -> a revocation. */
    rb_twilio_send *run = NULL;
    const char *twilio = "{\"account_sid\": \"AC00000000000000000000000000000001\", \"from\": \"+16025550100\", "
                         "\"max_lateness_seconds\": 3600}";
    CHECK_STATUS(rb_twilio_send_new(RB_TEXT(decision), RB_TEXT(twilio), RB_TEXT("2026-11-24T09:20:00-07:00"), &run, NULL),
                 RB_OK);
    rb_string tr = {NULL, 0};
    CHECK_STATUS(rb_twilio_send_next(run, &tr, NULL), RB_OK);
    CHECK(tr.ptr != NULL && strstr(tr.ptr, "\"method\":\"GET\"") != NULL && strstr(tr.ptr, "To=%2B16025550143") != NULL);
    rb_string_free(&tr);
    CHECK_STATUS(rb_twilio_send_feed(run, RB_TEXT("{\"status\": 200, \"body\": {\"messages\": []}}"), NULL), RB_OK);
    CHECK_STATUS(rb_twilio_send_next(run, &tr, NULL), RB_OK);
    CHECK(tr.ptr != NULL && strstr(tr.ptr, "\"method\":\"POST\"") != NULL && strstr(tr.ptr, "Messages.json") != NULL);
    rb_string_free(&tr);
    CHECK_STATUS(rb_twilio_send_feed(run, RB_TEXT("{\"status\": 400, \"body\": {\"code\": 21610, \"message\": "
                                                  "\"Attempt to send to unsubscribed recipient\", \"status\": 400}}"),
                                     NULL),
                 RB_OK);
    CHECK_STATUS(rb_twilio_send_outcome(run, &outcome, NULL), RB_OK);
    CHECK(outcome.ptr != NULL && strstr(outcome.ptr, "\"recipient_opted_out\"") != NULL);
    CHECK(outcome.ptr != NULL && strstr(outcome.ptr, "\"source\":\"twilio:21610\"") != NULL);
    rb_string_free(&outcome);
    CHECK_STATUS(rb_twilio_send_feed(run, RB_TEXT("{\"status\": 200}"), NULL), RB_INTERNAL);
    rb_twilio_send_free(run);
    rb_twilio_send *no_run = (rb_twilio_send *)1;
    CHECK_STATUS(rb_twilio_send_new(RB_TEXT(decision), RB_TEXT("{\"account_sid\": \"AC1\"}"), RB_TEXT("2026-11-24T09:20:00Z"),
                                    &no_run, &err),
                 RB_INVALID_CRM);
    CHECK(no_run == NULL);
    CHECK_STR(rb_error_path(err), "account_sid");
    rb_error_free(err);
    err = NULL;
    CHECK_STATUS(rb_twilio_send_next(NULL, &tr, NULL), RB_NULL_POINTER);
    rb_twilio_send_free(NULL);

    /* 401: the sync stops as rejected; the call itself succeeds. */
    sync = NULL;
    CHECK_STATUS(rb_crm_sync_new(RB_TEXT("hubspot"), RB_TEXT(decision), RB_TEXT("{}"), &sync, NULL), RB_OK);
    rb_string req = {NULL, 0};
    CHECK_STATUS(rb_crm_sync_next(sync, &req, NULL), RB_OK);
    rb_string_free(&req);
    CHECK_STATUS(rb_crm_sync_feed(sync, RB_TEXT("{\"status\": 401, \"body\": \"\"}"), NULL), RB_OK);
    CHECK_STATUS(rb_crm_sync_next(sync, &req, NULL), RB_OK);
    CHECK(req.ptr == NULL);
    CHECK_STATUS(rb_crm_sync_outcome(sync, &outcome, NULL), RB_OK);
    CHECK(outcome.ptr != NULL && strstr(outcome.ptr, "\"code\":\"crm_rejected\"") != NULL);
    rb_string_free(&outcome);
    rb_crm_sync_free(sync);

    /* An undocumented body: RB_INVALID_CRM with the path. */
    sync = NULL;
    CHECK_STATUS(rb_crm_sync_new(RB_TEXT("salesforce"), RB_TEXT(decision), NULL, 0, &sync, NULL), RB_OK);
    CHECK_STATUS(rb_crm_sync_next(sync, &req, NULL), RB_OK);
    rb_string_free(&req);
    CHECK_STATUS(rb_crm_sync_feed(sync, RB_TEXT("{\"status\": 201, \"body\": {\"success\": true}}"), &err), RB_INVALID_CRM);
    CHECK_STR(rb_error_path(err), "body.id");
    rb_error_free(err);
    err = NULL;
    rb_crm_sync_free(sync);

    /* Bad names, NULLs, feeding without a request. */
    rb_crm_sync *none = (rb_crm_sync *)1;
    CHECK_STATUS(rb_crm_sync_new(RB_TEXT("sugarcrm"), RB_TEXT(decision), NULL, 0, &none, &err), RB_INVALID_CRM);
    CHECK(none == NULL);
    CHECK_STR(rb_error_path(err), "system");
    rb_error_free(err);
    CHECK_STATUS(rb_crm_sync_new(RB_TEXT("salesforce"), RB_TEXT(decision), RB_TEXT("{\"max_attempts\": 0}"), &none, NULL),
                 RB_INVALID_CRM);
    CHECK_STATUS(rb_crm_sync_next(NULL, &req, NULL), RB_NULL_POINTER);
    CHECK_STATUS(rb_crm_sync_feed(NULL, RB_TEXT(CREATED), NULL), RB_NULL_POINTER);
    CHECK_STATUS(rb_crm_sync_outcome(NULL, &outcome, NULL), RB_NULL_POINTER);
    sync = NULL;
    CHECK_STATUS(rb_crm_sync_new(RB_TEXT("salesforce"), RB_TEXT(decision), NULL, 0, &sync, NULL), RB_OK);
    CHECK_STATUS(rb_crm_sync_feed(sync, RB_TEXT(CREATED), NULL), RB_INTERNAL);
    rb_crm_sync_free(sync);
    rb_crm_sync_free(NULL);
    free(decision);
    return check_summary("test_crm");
}
