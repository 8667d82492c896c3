/* The books core's wallet port, implemented with the members core. */
#ifndef WL_APP_WALLET_H
#define WL_APP_WALLET_H

#include "domain/members/members.h"
#include "ports/wallet.h"

/* members must outlive the port. */
wallet_port app_wallet(members_service *members);

#endif
