#include "app/demo.h"

#include <stdlib.h>
#include <string.h>

typedef struct demo_book {
	const char *title;
	const char *text;
} demo_book;

static const demo_book demo_books[] = {
    {"시간의 서랍",
     "할머니의 책상에는 열리지 않는 서랍이 하나 있었다. 열쇠는 오래전에 잃어버렸다고 했다.\n"
     "그해 겨울, 서랍이 저절로 열렸다. 안에는 날짜가 적힌 편지 수십 통이 들어 있었다. "
     "모든 편지는 아직 오지 않은 날짜로 적혀 있었다.\n"
     "나는 첫 번째 편지를 읽었다. 내일 아침 일곱 시, 창문을 열지 말 것. "
     "다음 날 아침, 나는 창문 앞에서 오래 망설였다.\n"
     "편지는 하루에 한 통씩만 읽을 수 있었다. 억지로 다음 편지를 뜯으려 하면 종이가 "
     "모래처럼 흩어졌다. 서랍은 나에게 기다리는 법을 가르치고 있었다.\n"
     "봄이 올 무렵, 마지막 편지에는 내 이름이 아닌 할머니의 이름이 적혀 있었다."},
    {"달 아래의 기억들",
     "달이 가장 밝은 밤이면 마을 사람들은 잃어버린 기억을 하나씩 돌려받았다.\n"
     "어떤 이는 첫사랑의 목소리를, 어떤 이는 어린 시절 먹던 국수의 맛을 되찾았다. "
     "사람들은 그 밤을 달맞이라 불렀다.\n"
     "열일곱 살 서윤은 한 번도 아무것도 돌려받지 못했다. 그녀에게는 잃어버린 기억이 "
     "없었기 때문이다. 적어도 그렇게 믿었다.\n"
     "그러던 어느 보름밤, 달빛 아래에서 낯선 소년이 그녀의 이름을 불렀다. "
     "소년은 자신이 서윤의 잃어버린 기억이라고 말했다."},
    {"바람이 머무는 서점",
     "골목 끝 서점에는 바람이 산다. 손님이 고민하면 바람은 책장을 넘겨 필요한 문장을 "
     "보여 준다.\n"
     "주인 할아버지는 그 사실을 아무에게도 말하지 않았다. 다만 창문을 늘 조금 열어 둘 "
     "뿐이었다.\n"
     "어느 날 바람이 멈췄다. 책장은 더 이상 넘어가지 않았고, 손님들은 길을 잃은 "
     "얼굴로 서점을 떠났다.\n"
     "아르바이트생 지호는 바람을 찾아 도시의 가장 높은 옥상으로 올라갔다."},
    {"여름의 끝에서 만난 고양이",
     "장마가 끝나던 날, 편의점 앞에 회색 고양이 한 마리가 앉아 있었다. 고양이는 매일 "
     "같은 시간에 나타나 같은 자리에 앉았다.\n"
     "야간 근무를 하던 민재는 고양이에게 이름을 지어 주었다. 구름. 비가 그친 뒤의 "
     "하늘 색을 닮았기 때문이다.\n"
     "구름은 가끔 민재가 잃어버린 물건을 물어 왔다. 오래전에 잃어버린 시계, 헤어진 "
     "친구의 편지, 그리고 돌아가신 아버지의 라이터까지.\n"
     "여름이 끝나 갈 무렵, 민재는 고양이가 어디에서 오는지 따라가 보기로 했다."},
    {"별을 세는 우체부",
     "산골 마을의 우체부는 밤마다 별을 센다. 하루에 배달한 편지 수만큼 별이 늘어난다고 "
     "믿기 때문이다.\n"
     "마을 사람들은 그를 놀렸지만, 아이들은 그의 이야기를 좋아했다. 편지 한 통이 "
     "누군가의 하늘에 별 하나를 띄운다는 이야기.\n"
     "어느 날 그는 주소가 없는 편지를 받았다. 봉투에는 단 한 줄, 가장 외로운 별에게 "
     "라고 적혀 있었다.\n"
     "그는 그 편지를 배달하기 위해 처음으로 마을을 떠났다."},
};

#define DEMO_SERIAL_TITLE "달빛 우체국"
#define DEMO_DAY_MS	  (24LL * 3600 * 1000)

/* An episode's text: its paragraphs, one a line. The caller frees it. */
static char *episode_text(const app_demo_episode *e)
{
	size_t len = 0, k = 0;
	char *s;

	for (const char *const *p = e->paragraphs; *p; p++)
		len += strlen(*p) + 1;
	if (!(s = malloc(len + 1)))
		return NULL;
	for (const char *const *p = e->paragraphs; *p; p++) {
		memcpy(s + k, *p, strlen(*p));
		k += strlen(*p);
		s[k++] = '\n';
	}
	s[k ? k - 1 : 0] = '\0';
	return s;
}

/*
 * Generates one submitted manuscript now, with the offline generators (the
 * seed must not wait for a model): the job is queued, claimed and run here.
 */
static int generate_now(app *a, int64_t manuscript_id, app_err *err)
{
	aigen_service offline = a->aigen;
	aigen_run_outcome outcome = 0;
	aigen_job j;
	int rc;

	offline.d.text = offline.d.text_offline;
	offline.d.image = offline.d.image_offline;
	if ((rc = aigen_enqueue(NULL, NULL, &offline, manuscript_id, err)) ||
	    (rc = aigen_claim(&j, &offline, err)) ||
	    (rc = aigen_run(&outcome, &offline, &j, NULL, NULL, err)))
		return rc;
	return outcome == AIGEN_RUN_SUCCEEDED
		   ? 0
		   : app_err_set(err, APP_EIO, NULL, NULL, "the demo's episode was not generated");
}

/* Writes, submits (publish_at 0: now) and generates episode e of the work (0: a new serial). */
static int demo_episode(int64_t *book_id, app *a, int64_t author_id, const app_demo_episode *e,
			int64_t publish_at, app_err *err)
{
	manuscripts_new req = {.author_id = author_id, .is_author = 1};
	char *text = episode_text(e);
	book_query q = {
	    .sort = BOOK_SORT_NEW, .author_id = author_id, .with_hidden = 1, .limit = 1};
	book *b = malloc(sizeof(*b));
	book_cursor next;
	manuscript m = {0};
	size_t n = 0;
	int rc;

	if (!text || !b) {
		rc = app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
		goto out;
	}
	req.title = *book_id ? e->title : DEMO_SERIAL_TITLE;
	req.content = text;
	req.content_len = strlen(text);
	req.serial = *book_id == 0;
	req.book_id = *book_id;
	if ((rc = manuscripts_start(&m, &a->manuscripts, &req, err)) ||
	    (rc = manuscripts_submit_at(NULL, &a->manuscripts, author_id, m.id, publish_at, err)) ||
	    (rc = generate_now(a, m.id, err)) || *book_id)
		goto out;
	/* the new work is the author's newest */
	if ((rc = books_list(b, &n, &next, &a->books, &q, err)) == 0 && n == 1)
		*book_id = b->id;
	else if (rc == 0)
		rc = app_err_set(err, APP_EIO, NULL, NULL, "the demo serial was not published");
	/* in review mode its author accepts the proof: the seeded reader reads it on sale */
	if (rc == 0 && b->proof) {
		books_reader as_author = {.member_id = author_id};

		rc = books_accept(NULL, &a->books, &as_author, b->id, err);
	}
out:
	manuscript_dispose(&m);
	free(text);
	free(b);
	return rc;
}

/*
 * The demo serial 《달빛 우체국》: twelve episodes, three free, one opening every
 * 24 hours by waiting, the last scheduled for tomorrow; the reader has read
 * four of them (the fourth unlocked by waiting) and stopped at the end of it.
 */
static int demo_serial(app *a, const member *author, const member *reader, app_err *err)
{
	static const char *const tags[] = {"판타지", "가족", "편지", "시간여행"};
	books_reader as_author = {.member_id = author->id};
	/* the demo's reader stands for one of long standing: their reads rank (ranking_readers.h)
	 */
	books_reader as_reader = {.member_id = reader->id,
				  .member_since = reader->created_at - BOOK_READER_MIN_AGE_MS};
	books_patch p = {
	    .fields = BOOK_FIELD_FREE_EPISODES | BOOK_FIELD_WAIT_FREE | BOOK_FIELD_EPISODE_PRICE |
		      BOOK_FIELD_GENRE | BOOK_FIELD_TAGS,
	    .free_episodes = 3,
	    .wait_free_hours = 24,
	    .episode_price = 100,
	    .genre = "fantasy",
	    .tags = tags,
	    .ntags = sizeof(tags) / sizeof(tags[0]),
	};
	books_episode_patch first = {.title = app_demo_serial[0].title};
	int64_t book_id = 0, tomorrow = clock_now_ms(&a->clock) + DEMO_DAY_MS;
	books_wait_free_result unlocked;
	books_episode_view v;
	book *b = malloc(sizeof(*b));
	char *text;
	size_t len;
	int rc = 0;

	if (!b)
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	for (size_t i = 0; rc == 0 && i < app_demo_serial_count; i++)
		rc = demo_episode(&book_id, a, author->id, &app_demo_serial[i],
				  i + 1 == app_demo_serial_count ? tomorrow : 0, err);
	if (rc || (rc = books_update(b, &a->books, &as_author, book_id, &p, err)) ||
	    (rc = books_episode_update(NULL, &a->books, &as_author, book_id, 1, &first, err)) ||
	    (rc = books_wait_free(&unlocked, &a->books, reader->id, book_id, 4, NULL, err)))
		goto out;
	for (int64_t n = 1; rc == 0 && n <= 4; n++) {
		rc = books_read_episode(&text, &len, &v, b, &a->books, &as_reader, book_id, n, err);
		free(text);
	}
	if (rc == 0)
		rc = books_progress_put(NULL, &a->books, &as_reader, book_id, 4, 5, 100, err);
out:
	free(b);
	return rc;
}

#define DEMO_PASSWORD_ADMIN  "demo-admin-pass"
#define DEMO_PASSWORD_AUTHOR "demo-author-pass"
#define DEMO_PASSWORD_READER "demo-reader-pass"

int app_demo_seed(app *a, FILE *out, app_err *err)
{
	char token[CRYPTO_TOKEN_MAX];
	member admin, author, reader;
	member_totals totals;
	author_application app_;
	int rc;

	if ((rc = members_totals(&totals, NULL, &a->members, err)))
		return rc;
	if (totals.members > 0)
		return 0;
	if ((rc = members_create_admin(&admin, &a->members, "admin@demo.local", DEMO_PASSWORD_ADMIN,
				       "관리자", err)) ||
	    (rc = members_signup(&author, token, &a->members, "author@demo.local",
				 DEMO_PASSWORD_AUTHOR, "윤서재", NULL, err)) ||
	    (rc = members_signup(&reader, token, &a->members, "reader@demo.local",
				 DEMO_PASSWORD_READER, "김독자", NULL, err)) ||
	    (rc = members_charge(NULL, NULL, &a->members, reader.id, 50000, NULL, err)))
		return rc;
	memset(&app_, 0, sizeof(app_));
	if ((rc = authors_apply(&app_, &a->authors, author.id, "윤서재",
				"일상의 틈에서 마법을 찾는 이야기를 씁니다.", "", err)))
		return rc;
	rc = authors_approve(NULL, &a->authors, admin.id, 1, app_.id, err);
	author_application_dispose(&app_);
	if (rc)
		return rc;
	/* the bus runs later: the role exists for the author's work right away */
	if ((rc = members_grant_role(&a->members, author.id, MEMBER_ROLE_AUTHOR, err)) ||
	    (rc = demo_serial(a, &author, &reader, err)))
		return rc;
	/* The role grant ran on author.approved; submitted manuscripts go to the AI pipeline. */
	for (size_t i = 0; i < sizeof(demo_books) / sizeof(demo_books[0]); i++) {
		manuscript m;

		memset(&m, 0, sizeof(m));
		rc = manuscripts_create(&m, &a->manuscripts, author.id, 1, demo_books[i].title,
					demo_books[i].text, strlen(demo_books[i].text), err);
		if (rc == 0) {
			int64_t id = m.id;

			manuscript_dispose(&m);
			rc = manuscripts_submit(&m, &a->manuscripts, author.id, id, err);
		}
		manuscript_dispose(&m);
		if (rc)
			return rc;
	}
	fprintf(out,
		"demo data seeded; log in with:\n"
		"  admin   admin@demo.local   %s\n"
		"  author  author@demo.local  %s\n"
		"  reader  reader@demo.local  %s  (50,000 P)\n",
		DEMO_PASSWORD_ADMIN, DEMO_PASSWORD_AUTHOR, DEMO_PASSWORD_READER);
	if (a->books.cfg.review)
		fprintf(out,
			"review mode: the serial is on sale; the author's five stories wait as "
			"proofs to accept in the studio\n");
	return 0;
}
