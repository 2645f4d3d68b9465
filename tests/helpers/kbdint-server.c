/*
 * kbdint-server: a one-connection-at-a-time SSH server (libssh) whose
 * only authentication method is keyboard-interactive with two prompts
 * per round and two rounds, the second prompt of each round echoed:
 *
 *   round 1: "First: " (hidden), "Second: " (echoed)   answers one, two
 *   round 2: "Third: " (hidden), "Fourth: " (echoed)   answers three, four
 *
 * OpenSSH's sshd asks one question per round through PAM, so it cannot
 * show that a client answers several.  After authentication an exec
 * request prints "kbdint-ok" and exits 0.  Every round's answers are
 * logged, which tells a test what the client sent.
 *
 *   kbdint-server PORT HOSTKEY LOGFILE
 *
 * The server runs until killed; it writes "ready" to LOGFILE once it
 * listens.  Built by tests/integration/47-auth.sh against the libssh
 * xssh links (tests/deps.sh).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libssh/libssh.h>
#include <libssh/server.h>

static FILE *logf;

static void
say(const char *fmt, const char *a, const char *b)
{
	fprintf(logf, fmt, a, b);
	fputc('\n', logf);
	fflush(logf);
}

static int
authenticate(ssh_session s)
{
	static const char *q1[] = { "First: ", "Second: " };
	static const char *q2[] = { "Third: ", "Fourth: " };
	static char echo[] = { 0, 1 };
	ssh_message m;
	const char *a0, *a1;
	int round = 0;

	while ((m = ssh_message_get(s)) != NULL) {
		if (ssh_message_type(m) != SSH_REQUEST_AUTH ||
		    ssh_message_subtype(m) != SSH_AUTH_METHOD_INTERACTIVE) {
			ssh_message_auth_set_methods(m,
			    SSH_AUTH_METHOD_INTERACTIVE);
			ssh_message_reply_default(m);
			ssh_message_free(m);
			continue;
		}
		if (!ssh_message_auth_kbdint_is_response(m)) {
			round = 1;
			ssh_message_auth_interactive_request(m, "xssh test",
			    "Two questions, twice.", 2, q1, echo);
			ssh_message_free(m);
			continue;
		}
		a0 = ssh_userauth_kbdint_getnanswers(s) == 2 ?
		    ssh_userauth_kbdint_getanswer(s, 0) : NULL;
		a1 = a0 != NULL ? ssh_userauth_kbdint_getanswer(s, 1) : NULL;
		say("round answers: %s,%s", a0 ? a0 : "?", a1 ? a1 : "?");
		if (round == 1 && a0 && a1 && strcmp(a0, "one") == 0 &&
		    strcmp(a1, "two") == 0) {
			round = 2;
			ssh_message_auth_interactive_request(m, "", "", 2, q2,
			    echo);
		} else if (round == 2 && a0 && a1 && strcmp(a0, "three") ==
		    0 && strcmp(a1, "four") == 0) {
			say("%s%s", "authenticated", "");
			ssh_message_auth_reply_success(m, 0);
			ssh_message_free(m);
			return 0;
		} else {
			round = 0;
			ssh_message_auth_set_methods(m,
			    SSH_AUTH_METHOD_INTERACTIVE);
			ssh_message_reply_default(m);
		}
		ssh_message_free(m);
	}
	return -1;
}

static void
serve(ssh_session s)
{
	ssh_channel ch = NULL;
	ssh_message m;

	while ((m = ssh_message_get(s)) != NULL) {
		if (ssh_message_type(m) == SSH_REQUEST_CHANNEL_OPEN &&
		    ssh_message_subtype(m) == SSH_CHANNEL_SESSION && ch == NULL) {
			ch = ssh_message_channel_request_open_reply_accept(m);
		} else if (ch != NULL &&
		    ssh_message_type(m) == SSH_REQUEST_CHANNEL &&
		    ssh_message_subtype(m) == SSH_CHANNEL_REQUEST_EXEC) {
			ssh_message_channel_request_reply_success(m);
			ssh_message_free(m);
			ssh_channel_write(ch, "kbdint-ok\n", 10);
			ssh_channel_request_send_exit_status(ch, 0);
			ssh_channel_send_eof(ch);
			ssh_channel_close(ch);
			/* Wait for the client to go. */
			while ((m = ssh_message_get(s)) != NULL)
				ssh_message_free(m);
			return;
		} else
			ssh_message_reply_default(m);
		ssh_message_free(m);
	}
}

int
main(int argc, char **argv)
{
	ssh_bind b;
	ssh_session s;
	int port;

	if (argc != 4) {
		fprintf(stderr, "usage: kbdint-server PORT HOSTKEY LOGFILE\n");
		return 2;
	}
	port = atoi(argv[1]);
	if ((logf = fopen(argv[3], "a")) == NULL)
		return 1;
	b = ssh_bind_new();
	if (ssh_bind_options_set(b, SSH_BIND_OPTIONS_BINDADDR, "127.0.0.1") <
	    0 || ssh_bind_options_set(b, SSH_BIND_OPTIONS_BINDPORT, &port) <
	    0 || ssh_bind_options_set(b, SSH_BIND_OPTIONS_HOSTKEY, argv[2]) <
	    0 || ssh_bind_listen(b) < 0) {
		say("listen: %s%s", ssh_get_error(b), "");
		return 1;
	}
	say("%s%s", "ready", "");
	for (;;) {
		s = ssh_new();
		if (ssh_bind_accept(b, s) == SSH_OK &&
		    ssh_handle_key_exchange(s) == SSH_OK &&
		    authenticate(s) == 0)
			serve(s);
		ssh_disconnect(s);
		ssh_free(s);
	}
}
