#include "domain/books/book.h"

book_access book_access_decide(const book_access_facts *f)
{
	book_access a = {0, BOOK_ACCESS_PURCHASE_REQUIRED};

	if (!f->signed_in)
		a.reason = BOOK_ACCESS_LOGIN_REQUIRED;
	else if (f->is_author_of_book)
		a = (book_access){1, BOOK_ACCESS_AUTHOR};
	else if (f->is_admin)
		a = (book_access){1, BOOK_ACCESS_ADMIN};
	else if (f->price == 0)
		a = (book_access){1, BOOK_ACCESS_FREE};
	else if (f->owned)
		a = (book_access){1, BOOK_ACCESS_OWNED};
	else if (f->subscribed)
		a = (book_access){1, BOOK_ACCESS_SUBSCRIPTION};
	return a;
}

const char *book_access_reason_name(book_access_reason r)
{
	switch (r) {
	case BOOK_ACCESS_FREE:
		return "free";
	case BOOK_ACCESS_AUTHOR:
		return "author";
	case BOOK_ACCESS_ADMIN:
		return "admin";
	case BOOK_ACCESS_OWNED:
		return "owned";
	case BOOK_ACCESS_SUBSCRIPTION:
		return "subscription";
	case BOOK_ACCESS_LOGIN_REQUIRED:
		return "login_required";
	case BOOK_ACCESS_PURCHASE_REQUIRED:
		return "purchase_required";
	}
	return "purchase_required";
}

int64_t book_view_day(int64_t now_ms)
{
	return now_ms / (24LL * 3600 * 1000);
}

int book_view_counts(int is_author_of_book, int is_admin)
{
	return !is_author_of_book && !is_admin;
}

int book_bestseller_due(int64_t views, int64_t threshold, int already)
{
	return !already && views >= threshold;
}
