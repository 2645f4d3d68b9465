/*
 * libFuzzer target for agent messages (src/agent.c, src/agent-shim.c):
 * the input is taken as an agent's answer to a request for its keys
 * (agent_parse_identities(), which checks each key blob as ssh would
 * read it), as a request from libssh to the stand-in agent
 * (agent_shim_request(), with a key on offer and without), and as the
 * real agent's answer to a sign request (agent_sign_reply_ok()).
 *
 * Beyond the sanitizers: no more keys than AGENT_MAX_KEYS, each with a
 * blob and a C string comment; the shim's answer is a failure, a key
 * list, or a sign request for the key to sign with.
 *
 * Covers: src/agent.c src/agent-shim.c src/knownhosts-key.c
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "xssh.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/*
 * Ed25519 keys made by ssh-keygen: the key on offer (test-agent.c's),
 * and the CA key of its certificate as the key to sign with.
 */
static const unsigned char offer[] =
    "\0\0\0\x0bssh-ed25519\0\0\0\x20"
    "\xda\x40\xdd\xdf\xc4\x99\x12\xce\x64\x95\xda\x2f\x8d\xe7\xe0\x6d"
    "\xf2\x5e\xe9\x53\x6e\x79\x9d\xc0\x68\x1e\x87\xb6\x38\x2d\x30\xc2";
static const unsigned char sign[] =
    "\0\0\0\x0bssh-ed25519\0\0\0\x20"
    "\xbc\x32\x61\x4a\x4a\xa7\x68\x38\x1d\x9e\x37\x41\x50\x04\x79\x55"
    "\x04\x78\x16\x35\xde\x21\xae\x58\xd4\x02\x9a\xcd\xae\xc7\x90\x5b";

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	log_set_level(LOG_QUIET);
	return 0;
}

static void
check_shim(const uint8_t *data, size_t size, int with_offer)
{
	struct wbuf out = { 0 };
	int r;

	r = agent_shim_request(data, size, with_offer ? offer : NULL,
	    with_offer ? sizeof(offer) - 1 : 0, sign, sizeof(sign) - 1, &out);
	if (out.len == 0 || out.len > AGENT_MAX_MSG)
		abort();
	if (r == AGENT_SHIM_FORWARD) {
		if (!with_offer || out.d[0] != AGENTC_SIGN_REQUEST ||
		    out.len < 5 + sizeof(sign) - 1 ||
		    memcmp(out.d + 5, sign, sizeof(sign) - 1) != 0)
			abort();
	} else if (r != AGENT_SHIM_REPLY || (out.d[0] != AGENT_FAILURE &&
	    out.d[0] != AGENT_IDENTITIES_ANSWER))
		abort();
	wbuf_free(&out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct agent_key *keys;
	int n, i;

	if (agent_parse_identities(data, size, &keys, &n) == 0) {
		if (n < 0 || n > AGENT_MAX_KEYS)
			abort();
		for (i = 0; i < n; i++)
			if (keys[i].blob == NULL || keys[i].comment == NULL ||
			    strlen(keys[i].comment) > size)
				abort();
		agent_keys_free(keys, n);
	}
	check_shim(data, size, 1);
	check_shim(data, size, 0);
	(void)agent_sign_reply_ok(data, size);
	return 0;
}
