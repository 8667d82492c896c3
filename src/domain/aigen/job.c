#include "domain/aigen/aigen.h"
#include "domain/aigen/job.h"

#include <string.h>

static const char *const status_words[] = {
    [AIGEN_JOB_QUEUED] = "queued",
    [AIGEN_JOB_RUNNING] = "running",
    [AIGEN_JOB_SUCCEEDED] = "succeeded",
    [AIGEN_JOB_FAILED] = "failed",
};

static const char *const part_words[] = {"summary", "tagline", "price", "cover"};

const char *aigen_regen_part_name(unsigned part)
{
	for (unsigned i = 0; i < sizeof(part_words) / sizeof(part_words[0]); i++)
		if (part == 1u << i)
			return part_words[i];
	return NULL;
}

unsigned aigen_regen_part_parse(const char *name)
{
	for (unsigned i = 0; name && i < sizeof(part_words) / sizeof(part_words[0]); i++)
		if (!strcmp(name, part_words[i]))
			return 1u << i;
	return 0;
}

const char *aigen_job_status_str(aigen_job_status s)
{
	if ((unsigned)s >= sizeof(status_words) / sizeof(status_words[0]))
		return "unknown";
	return status_words[s];
}

int aigen_job_status_parse(aigen_job_status *out, const char *s, app_err *err)
{
	for (unsigned i = 0; s && i < sizeof(status_words) / sizeof(status_words[0]); i++) {
		if (strcmp(s, status_words[i]) == 0) {
			*out = (aigen_job_status)i;
			return 0;
		}
	}
	return app_err_set(err, APP_EINVALID, NULL, "status", "unknown job status");
}

int aigen_job_can_transition(aigen_job_status from, aigen_job_status to)
{
	switch (from) {
	case AIGEN_JOB_QUEUED:
		return to == AIGEN_JOB_RUNNING;
	case AIGEN_JOB_RUNNING:
		return to == AIGEN_JOB_SUCCEEDED || to == AIGEN_JOB_FAILED ||
		       to == AIGEN_JOB_QUEUED || to == AIGEN_JOB_RUNNING;
	case AIGEN_JOB_FAILED:
		return to == AIGEN_JOB_QUEUED;
	case AIGEN_JOB_SUCCEEDED:
	default:
		return 0;
	}
}

int64_t aigen_backoff_ms(int attempt, int64_t base_ms, int64_t max_ms, double jitter_unit)
{
	int64_t ceiling = base_ms, half, add;

	if (base_ms <= 0 || max_ms <= 0)
		return 0;
	if (attempt < 1)
		attempt = 1;
	/* doubling stops at max_ms, so this cannot overflow */
	for (int i = 1; i < attempt && ceiling < max_ms; i++)
		ceiling = ceiling > max_ms / 2 ? max_ms : ceiling * 2;
	if (ceiling > max_ms)
		ceiling = max_ms;
	/* NaN fails both comparisons: treat it as 0 */
	if (!(jitter_unit >= 0.0))
		jitter_unit = 0.0;
	if (jitter_unit > 1.0)
		jitter_unit = 1.0;
	half = ceiling / 2;
	add = (int64_t)(jitter_unit * (double)(ceiling - half));
	/* the double product can round above its integer operand */
	if (add > ceiling - half)
		add = ceiling - half;
	return half + add;
}

int aigen_should_retry(int attempt, int max_attempts, int err_code)
{
	if (err_code != APP_EUPSTREAM && err_code != APP_ETIMEOUT)
		return 0;
	return attempt < max_attempts;
}
