/*
 * wl-bench-seed: fills a database for the benchmark directly through the real
 * repositories and cores (no HTTP): one author, BOOKS published works holding
 * EPISODES episodes in all (every third work a one-episode book, the others
 * serials of varied length; a first episode of about 20 KB of generated
 * Korean-ish text, later ones of about 12 KB) with offline SVG covers,
 * MEMBERS readers with points and a session each, and one subscriber with an
 * active subscription and a session.
 *
 * Member passwords are all BENCH_PASSWORD, hashed ONCE with the sodium
 * adapter at the cost the server will verify with (--pwhash-mem-kib,
 * --pwhash-ops, or their WL_ variables): argon2id per member would take
 * minutes. Sessions are inserted through the session repository under the
 * adapter's token digest, exactly as a login stores them.
 *
 * Writes into OUTDIR:
 *   tokens.txt      one bearer token per reader, line i is reader i (1-based)
 *   subscriber.txt  the subscriber's bearer token
 *   info.txt        books, episodes, readers, first reader id, password, search words
 *   works.txt       one line per work: "bookId episodeCount"
 *
 * usage: wl-bench-seed DB OUTDIR [--books N] [--episodes N] [--members N] [--points N]
 *                      [--pwhash-mem-kib N] [--pwhash-ops N]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "adapters/llm_offline/llm_offline.h"
#include "app/app.h"

#define BENCH_PASSWORD "bench-password-1"
#define TEXT_BYTES     (20 * 1024) /* a work's first episode (the old one-book text) */
#define EPISODE_BYTES  (12 * 1024) /* every later episode: about 4,000 characters */
/* Covers are drawn for the first SEED_COVERS works and reused after (a drawing takes ~20 ms). */
#define SEED_COVERS 32

/* Vocabulary: nouns, adverbs/adjectives, verb phrases and sentence endings. */
static const char *const nouns[] = {
    "서점",   "바람",	"고양이", "우체부", "편지",   "서랍",	"기억",	  "달빛",
    "골목",   "할머니", "소년",	  "소녀",   "여름",   "겨울",	"봄날",	  "가을",
    "도시",   "마을",	"기차",	  "정류장", "바다",   "등대",	"시계",	  "열쇠",
    "창문",   "하늘",	"구름",	  "별빛",   "노래",   "이야기", "사진",	  "그림자",
    "나무",   "숲속",	"강물",	  "다리",   "우산",   "빗방울", "눈송이", "새벽",
    "저녁",   "아침",	"오후",	  "약속",   "비밀",   "꿈",	"여행",	  "친구",
    "선생님", "아버지", "어머니", "동생",   "언니",   "카페",	"도서관", "학교",
    "운동장", "옥상",	"지하철", "버스",   "골목길", "편의점", "라디오", "피아노",
};
static const char *const mods[] = {
    "조용히", "천천히", "오래", "다시",	  "문득",   "가만히", "몰래",	"끝내",
    "어느새", "갑자기", "늘",	"가끔",	  "분명히", "아직",   "이미",	"겨우",
    "낡은",   "작은",	"푸른", "따뜻한", "차가운", "오래된", "이상한", "낯선",
};
static const char *const verbs[] = {
    "기다렸다",	   "바라보았다", "걸어갔다",   "돌아왔다", "웃었다",   "울었다",
    "떠올렸다",	   "속삭였다",	 "잊어버렸다", "찾아냈다", "열었다",   "닫았다",
    "읽었다",	   "적었다",	 "불렀다",     "지나갔다", "멈추었다", "달렸다",
    "남아 있었다", "사라졌다",	 "흔들렸다",   "빛났다",   "들려왔다", "머물렀다",
};
static const char *const particles[] = {"은", "는",   "이",   "가", "을",
					"를", "에서", "으로", "와", "의"};
static const char *const pen_names[] = {"윤서재", "한겨울", "이봄",   "김하늘",
					"서달빛", "박노을", "최새벽", "정바다"};
/* Search words: a 2-syllable noun (scanned) and a 3-syllable one (trigram index). */
static const char search_short[] = "서점";
static const char search_long[] = "우체부";

#define N(a) (sizeof(a) / sizeof(a[0]))

static unsigned long long rng_state = 0x9E3779B97F4A7C15ULL;

static unsigned rnd(unsigned n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (unsigned)(rng_state % n);
}

typedef struct sbuf {
	char *p;
	size_t len, cap;
} sbuf;

static void put(sbuf *b, const char *s)
{
	size_t n = strlen(s);

	if (b->len + n + 1 > b->cap)
		return;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

/* One sentence: noun particle [mod] noun particle verb. */
static void sentence(sbuf *b)
{
	put(b, nouns[rnd(N(nouns))]);
	put(b, particles[rnd(N(particles))]);
	put(b, " ");
	if (rnd(2)) {
		put(b, mods[rnd(N(mods))]);
		put(b, " ");
	}
	put(b, nouns[rnd(N(nouns))]);
	put(b, particles[rnd(N(particles))]);
	put(b, " ");
	put(b, verbs[rnd(N(verbs))]);
	put(b, rnd(8) ? ". " : ".\n");
}

static int fail(const char *what, const app_err *err)
{
	fprintf(stderr, "wl-bench-seed: %s: %s\n", what, err ? err->msg : "failed");
	return 1;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static FILE *open_out(const char *dir, const char *name)
{
	char path[1200];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (!(f = fopen(path, "w")))
		perror(path);
	return f;
}

/* A member with the shared hash; points credited through the repo with their ledger row. */
static int add_member(member *m, app *a, uow_tx *tx, const char *email, const char *name,
		      unsigned roles, const char *hash, int64_t points, int64_t now, app_err *err)
{
	ledger_entry e;
	int64_t balance;
	int rc;

	memset(m, 0, sizeof(*m));
	snprintf(m->email, sizeof(m->email), "%s", email);
	snprintf(m->name, sizeof(m->name), "%s", name);
	snprintf(m->password_hash, sizeof(m->password_hash), "%s", hash);
	m->roles = roles;
	m->created_at = now;
	if ((rc = member_repo_insert(&a->members.d.members, tx, m, err)))
		return rc;
	if (points <= 0)
		return 0;
	if ((rc = member_repo_credit(&balance, &a->members.d.members, tx, m->id, points, err)))
		return rc;
	memset(&e, 0, sizeof(e));
	e.member_id = m->id;
	e.kind = LEDGER_CHARGE;
	e.amount = points;
	e.balance_after = balance;
	e.created_at = now;
	m->points = balance;
	return ledger_repo_append(&a->members.d.ledger, tx, &e, err);
}

/* A session stored as a login stores it: under the adapter's digest of a fresh token. */
static int add_session(char token[CRYPTO_TOKEN_MAX], app *a, uow_tx *tx, int64_t member_id,
		       int64_t now, app_err *err)
{
	char digest[CRYPTO_DIGEST_HEX];
	int rc;

	if ((rc = crypto_token_new(token, &a->crypto, err)))
		return rc;
	crypto_token_digest(digest, &a->crypto, token);
	return session_repo_insert(&a->members.d.sessions, tx, digest, member_id, now,
				   now + a->members.cfg.session_ttl_ms, err);
}

static aigen_image covers[SEED_COVERS];

/* A text of about bytes bytes of sentences into b (capacity bytes + 256); *chars its characters. */
static size_t fill_text(char *text, size_t bytes, size_t *chars)
{
	sbuf tb = {text, 0, bytes + 256};

	text[0] = '\0';
	while (tb.len < bytes)
		sentence(&tb);
	*chars = 0;
	for (const char *p = text; *p; p++)
		*chars += ((unsigned char)*p & 0xC0) != 0x80;
	return tb.len;
}

/* Work i with its first episode (~20 KB, the old one-book text) and an SVG cover. */
static int seed_work(int64_t *book_id, app *a, uow_tx *tx, int64_t author_id, long i, int serial,
		     char *text, app_err *err)
{
	char title[256], summary[1024], tagline[256], reason[128];
	sbuf sb = {summary, 0, sizeof(summary)};
	books_publish_req req;
	aigen_image *cover = &covers[(i - 1) % SEED_COVERS];
	book *b = malloc(sizeof(*b));
	size_t chars, len;
	const char *pen = pen_names[rnd(N(pen_names))];
	int rc;

	if (!b)
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	summary[0] = '\0';
	snprintf(title, sizeof(title), "%s %s의 %s %ld", mods[16 + rnd(8)], nouns[rnd(N(nouns))],
		 nouns[rnd(N(nouns))], i);
	len = fill_text(text, TEXT_BYTES, &chars);
	for (int k = 0; k < 3; k++)
		sentence(&sb);
	snprintf(tagline, sizeof(tagline), "%s, 그리고 %s", nouns[rnd(N(nouns))],
		 nouns[rnd(N(nouns))]);
	if (i <= SEED_COVERS &&
	    (rc = offline_cover(cover, &(aigen_image_request){.title = title, .pen_name = pen}, err)))
		goto out;
	memset(&req, 0, sizeof(req));
	req.manuscript_id = i; /* no manuscript rows: works are seeded directly */
	req.author_id = author_id;
	req.title = title;
	req.author_name = pen;
	req.content = text;
	req.content_len = len;
	req.summary = summary;
	req.tagline = tagline;
	req.serial = serial;
	req.price = serial ? 100 + 10 * (long)rnd(41) : offline_price_for_chars(chars, 1000, 50000);
	snprintf(reason, sizeof(reason), "%zu자 분량 기준 가격", chars);
	req.price_reason = reason;
	req.cover = cover->data;
	req.cover_len = cover->len;
	req.cover_mime = cover->mime;
	req.gen_summary = req.gen_price = req.gen_cover = OFFLINE_NAME;
	rc = books_publish_in(b, &a->books, tx, &req, err);
	*book_id = rc ? 0 : b->id;
out:
	free(b);
	return rc;
}

/* Episodes 2..count of a serial work, ~EPISODE_BYTES each; *ms the next manuscript id. */
static int seed_episodes(app *a, uow_tx *tx, int64_t author_id, int64_t book_id, long count,
			 int64_t *ms, char *text, app_err *err)
{
	for (long n = 2; n <= count; n++) {
		char title[128], summary[512];
		sbuf sb = {summary, 0, sizeof(summary)};
		books_episode_req req;
		size_t chars;
		int rc;

		summary[0] = '\0';
		sentence(&sb);
		snprintf(title, sizeof(title), "%ld화 %s", n, nouns[rnd(N(nouns))]);
		memset(&req, 0, sizeof(req));
		req.manuscript_id = (*ms)++;
		req.author_id = author_id;
		req.book_id = book_id;
		req.number = n;
		req.title = title;
		req.content_len = fill_text(text, EPISODE_BYTES, &chars);
		req.content = text;
		req.summary = summary;
		req.gen_summary = OFFLINE_NAME;
		if ((rc = books_publish_episode_in(NULL, &a->books, tx, &req, err)))
			return rc;
	}
	return 0;
}

/*
 * nbooks works holding nepisodes episodes: every third a one-episode book
 * (bought whole as before), the rest serials of 1 to 2 x the mean of what is
 * left, the last taking the rest, so that the total is exact.
 */
static int seed_works(FILE *fworks, app *a, uow_tx *tx, int64_t author_id, long nbooks,
		      long nepisodes, char *text, app_err *err)
{
	long singles = nepisodes > nbooks ? nbooks / 3 : nbooks, serials = nbooks - singles;
	long left = nepisodes - singles;
	int64_t ms = nbooks + 1;

	for (long i = 1; i <= nbooks; i++) {
		int serial = serials > 0 && i % 3 != 0;
		long count = 1;
		int64_t id = 0;
		int rc;

		if (serial) {
			long mean = left / serials;

			count = serials == 1 ? left : 1 + (long)rnd((unsigned)(2 * mean - 1));
			if (count > left - (serials - 1))
				count = left - (serials - 1);
			left -= count;
			serials--;
		}
		if ((rc = seed_work(&id, a, tx, author_id, i, serial, text, err)) ||
		    (rc = seed_episodes(a, tx, author_id, id, count, &ms, text, err)))
			return rc;
		fprintf(fworks, "%lld %ld\n", (long long)id, count);
	}
	return 0;
}

int main(int argc, char **argv)
{
	long nbooks = 10000, nepisodes = 100000, nmembers = 10000, points = 200000;
	const char *db, *out;
	char msg[512], hash[CRYPTO_HASH_MAX], token[CRYPTO_TOKEN_MAX], *text = NULL;
	char *cargv[8];
	int cargc = 0;
	app_config cfg;
	app a;
	app_err err;
	member author, sub, m;
	subscription s;
	uow_tx *tx = NULL;
	FILE *ftok = NULL, *fsub = NULL, *finfo = NULL, *fworks = NULL;
	int64_t now, first_reader = 0;
	double t0 = now_s(), t_hash;
	int rc = 1;

	if (argc < 3) {
		fprintf(stderr,
			"usage: wl-bench-seed DB OUTDIR [--books N] [--episodes N] [--members N] "
			"[--points N] [--pwhash-mem-kib N] [--pwhash-ops N]\n");
		return 2;
	}
	db = argv[1];
	out = argv[2];
	cargv[cargc++] = argv[0];
	for (int i = 3; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--books"))
			nbooks = atol(argv[i + 1]);
		else if (!strcmp(argv[i], "--episodes"))
			nepisodes = atol(argv[i + 1]);
		else if (!strcmp(argv[i], "--members"))
			nmembers = atol(argv[i + 1]);
		else if (!strcmp(argv[i], "--points"))
			points = atol(argv[i + 1]);
		else if ((!strcmp(argv[i], "--pwhash-mem-kib") ||
			  !strcmp(argv[i], "--pwhash-ops")) &&
			 cargc + 2 < 8) {
			cargv[cargc++] = argv[i];
			cargv[cargc++] = argv[i + 1];
		} else {
			fprintf(stderr, "wl-bench-seed: unknown option %s\n", argv[i]);
			return 2;
		}
	}
	if (nbooks < 1 || nmembers < 1) {
		fprintf(stderr, "wl-bench-seed: --books and --members must be positive\n");
		return 2;
	}
	/* The server's own configuration rules: same defaults, WL_ variables and flags. */
	if (app_config_load(&cfg, cargc, cargv, 1, msg, sizeof(msg))) {
		fprintf(stderr, "wl-bench-seed: %s\n", msg);
		return 2;
	}
	snprintf(cfg.db, sizeof(cfg.db), "%s", db);
	remove(db);
	snprintf(msg, sizeof(msg), "%s-wal", db);
	remove(msg);
	snprintf(msg, sizeof(msg), "%s-shm", db);
	remove(msg);

	app_err_clear(&err);
	if (app_open(&a, &cfg, &err))
		return fail("open", &err);
	if (!(ftok = open_out(out, "tokens.txt")) || !(fsub = open_out(out, "subscriber.txt")) ||
	    !(finfo = open_out(out, "info.txt")) || !(fworks = open_out(out, "works.txt")))
		goto done;
	/* One argon2id hash at the server's cost, shared by every member. */
	if (crypto_password_hash(hash, &a.crypto, BENCH_PASSWORD, &err)) {
		fail("password hash", &err);
		goto done;
	}
	t_hash = now_s() - t0;
	now = clock_now_ms(&a.clock);
	if (!(text = malloc(TEXT_BYTES + 256))) {
		fprintf(stderr, "wl-bench-seed: out of memory\n");
		goto done;
	}
	/* The seed is one big transaction through the bus's unit of work. */
	if (uow_begin(&tx, &a.members.d.uow, &err)) {
		fail("begin", &err);
		goto done;
	}
	if (add_member(&author, &a, tx, "author@bench.local", "벤치 작가",
		       MEMBER_ROLE_READER | MEMBER_ROLE_AUTHOR, hash, 0, now, &err) ||
	    add_member(&sub, &a, tx, "subscriber@bench.local", "구독 독자", MEMBER_ROLE_READER,
		       hash, 0, now, &err))
		goto rollback;
	memset(&s, 0, sizeof(s));
	s.member_id = sub.id;
	s.started_at = now;
	s.expires_at = now + 30LL * MEMBERS_DAY_MS;
	s.auto_renew = 0;
	if (subscription_repo_save(&a.members.d.subscriptions, tx, &s, &err) ||
	    add_session(token, &a, tx, sub.id, now, &err))
		goto rollback;
	fprintf(fsub, "%s\n", token);

	for (long i = 1; i <= nmembers; i++) {
		char email[64], name[64];

		snprintf(email, sizeof(email), "reader%05ld@bench.local", i);
		snprintf(name, sizeof(name), "독자 %ld", i);
		if (add_member(&m, &a, tx, email, name, MEMBER_ROLE_READER, hash, points, now,
			       &err) ||
		    add_session(token, &a, tx, m.id, now, &err))
			goto rollback;
		if (i == 1)
			first_reader = m.id;
		fprintf(ftok, "%s\n", token);
	}

	if (seed_works(fworks, &a, tx, author.id, nbooks, nepisodes, text, &err))
		goto rollback;
	if (uow_commit(tx, &err)) {
		fail("commit", &err);
		goto done;
	}
	/* Leave a compact main file: the server starts on it, not on a big WAL. */
	if (sqlite_db_exec(a.db, "PRAGMA wal_checkpoint(TRUNCATE)", &err)) {
		fail("checkpoint", &err);
		goto done;
	}
	fprintf(finfo,
		"books %ld\nepisodes %ld\nreaders %ld\nfirst_reader %lld\nsubscriber "
		"%lld\npassword %s\n"
		"search_short %s\nsearch_long %s\n",
		nbooks, nepisodes > nbooks ? nepisodes : nbooks, nmembers, (long long)first_reader,
		(long long)sub.id, BENCH_PASSWORD, search_short, search_long);
	fprintf(
	    stderr,
	    "wl-bench-seed: %ld works, %ld episodes, %ld readers, 1 author, 1 subscriber in %.2f s "
	    "(password hash %.0f ms, argon2id %lld KiB x %d)\n",
	    nbooks, nepisodes > nbooks ? nepisodes : nbooks, nmembers, now_s() - t0, t_hash * 1000,
	    (long long)cfg.pwhash_mem_kib, cfg.pwhash_ops);
	rc = 0;
	goto done;
rollback:
	fail("seed", &err);
	uow_rollback(tx);
	rc = 1;
done:
	for (int k = 0; k < SEED_COVERS; k++)
		aigen_image_dispose(&covers[k]);
	free(text);
	if (ftok)
		fclose(ftok);
	if (fsub)
		fclose(fsub);
	if (finfo)
		fclose(finfo);
	if (fworks)
		fclose(fworks);
	app_close(&a);
	return rc;
}
