#include "app/cli.h"

int main(int argc, char **argv)
{
	return wl_cli_main(argc, argv);
}
