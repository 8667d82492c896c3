/*
 * The fixture the llm_http tests share: a fake OpenAI-compatible server and
 * a client configuration pointed at it, with short timeouts and backoffs.
 */
#ifndef WL_TEST_LLM_FIXTURE_H
#define WL_TEST_LLM_FIXTURE_H

#include <stdint.h>

#include "adapters/llm_http/llm_http.h"
#include "support/fake_openai.h"

#define KEY "sk-test-Secr3tKey-0123456789abcdef"

#define BLURB                                                                                      \
	"{\"summary\":\"A courier walks the night library.\",\"tagline\":\"Every book a door.\","  \
	"\"price\":4500,\"priceReason\":\"A long novel.\",\"coverPrompt\":\"a lantern in "         \
	"stacks\"}"

typedef struct fixture {
	fake_openai *fake;
	llm_http_config cfg;
} fixture;

int64_t llm_now_ms(void);
const aigen_text_request *llm_request(void);
/* cmocka llm_setup and llm_teardown: a fake server and fx->cfg pointed at it. */
int llm_setup(void **state);
int llm_teardown(void **state);
/* One generation with fx->cfg; the key never appears in err. out NULL: the draft is dropped. */
int llm_run_text(fixture *fx, aigen_draft *out, app_err *err);
int llm_run_image(fixture *fx, aigen_image *out, const char *cover_prompt, app_err *err);
void llm_assert_msg_has(const app_err *err, const char *needle);
/* The named extra of err, or -1. */
long long llm_extra(const app_err *err, const char *name);
/* Queues 200 with an images answer whose data[0] has field = value. */
void llm_push_image(fixture *fx, const char *field, const char *value);
/* Runs the group with curl set up and the environment's proxies out of the way. */
int llm_fixture_run(const struct CMUnitTest *tests, size_t n);

#endif
