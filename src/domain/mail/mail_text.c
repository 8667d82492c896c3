#include "domain/mail/mail_text.h"

#include <string.h>

int mail_text_english(const char *lang)
{
	return lang && strncmp(lang, "en", 2) == 0;
}

static const char *who(const char *name, int en)
{
	return name && *name ? name : en ? "reader" : "회원";
}

void mail_text_password_reset(strbuf *subject, strbuf *text, const char *lang, const char *name,
			      const char *link, int minutes)
{
	int en = mail_text_english(lang);

	if (en) {
		strbuf_str(subject, "[Walking Library] Reset your password");
		strbuf_fmt(text,
			   "Hello %s,\n\nTo set a new password, open this link within %d minutes:\n"
			   "%s\n\nThe link works once. If you did not ask for it, ignore this mail:"
			   " your password stays as it is.\n\n— Walking Library\n",
			   who(name, en), minutes, link);
		return;
	}
	strbuf_str(subject, "[걷다가서재] 비밀번호 재설정 안내");
	strbuf_fmt(text,
		   "%s님, 안녕하세요.\n\n새 비밀번호를 정하려면 %d분 안에 아래 링크를 열어 "
		   "주세요.\n%s\n\n링크는 한 번만 쓸 수 있습니다. 요청하신 적이 없다면 이 메일은 "
		   "무시하셔도 됩니다. 비밀번호는 바뀌지 않습니다.\n\n— 걷다가서재\n",
		   who(name, en), minutes, link);
}

void mail_text_email_confirm(strbuf *subject, strbuf *text, const char *lang, const char *name,
			     const char *new_email, const char *link, int hours)
{
	int en = mail_text_english(lang);

	if (en) {
		strbuf_str(subject, "[Walking Library] Confirm your new e-mail address");
		strbuf_fmt(text,
			   "Hello %s,\n\nTo use %s for your Walking Library account, open this link"
			   " within %d hours:\n%s\n\nUntil then your account keeps its old address."
			   " If you did not ask for this, ignore this mail.\n\n— Walking Library\n",
			   who(name, en), new_email, hours, link);
		return;
	}
	strbuf_str(subject, "[걷다가서재] 새 이메일 주소를 확인해 주세요");
	strbuf_fmt(text,
		   "%s님, 안녕하세요.\n\n걷다가서재 계정의 이메일을 %s 주소로 바꾸려면 %d시간 안에 "
		   "아래 링크를 열어 주세요.\n%s\n\n확인하기 전까지는 지금 주소를 그대로 씁니다. "
		   "요청하신 적이 없다면 이 메일은 무시하셔도 됩니다.\n\n— 걷다가서재\n",
		   who(name, en), new_email, hours, link);
}

void mail_text_email_changed(strbuf *subject, strbuf *text, const char *lang, const char *name,
			     const char *new_email)
{
	int en = mail_text_english(lang);

	if (en) {
		strbuf_str(subject, "[Walking Library] Your account's e-mail address changed");
		strbuf_fmt(text,
			   "Hello %s,\n\nYour Walking Library account now uses a new address: %s\n"
			   "Mail to this address stops here. If you did not make this change, reset"
			   " your password from the sign-in page and write to the operator.\n\n"
			   "— Walking Library\n",
			   who(name, en), new_email);
		return;
	}
	strbuf_str(subject, "[걷다가서재] 계정 이메일 주소가 바뀌었습니다");
	strbuf_fmt(
	    text,
	    "%s님, 안녕하세요.\n\n걷다가서재 계정의 이메일 주소가 바뀌었습니다.\n"
	    "새 주소: %s\n\n앞으로 안내 메일은 새 주소로 갑니다. 직접 바꾸신 것이 아니라면 "
	    "로그인 화면에서 비밀번호를 다시 정하고 운영자에게 알려 주세요.\n\n— 걷다가서재\n",
	    who(name, en), new_email);
}
