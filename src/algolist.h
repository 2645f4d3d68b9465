/*
 * OpenSSH 9.2's algorithm lists and its kex_assemble_names() (algolist.c):
 * for -G, for checking the configuration, and for the lists each hop
 * offers (libssh then keeps the names it implements).
 */
#ifndef XSSH_ALGOLIST_H
#define XSSH_ALGOLIST_H

/* What ssh 9.2 supports, and its client defaults, in its order. */
extern const char algo_all_ciphers[], algo_all_macs[], algo_all_kex[];
extern const char algo_all_keys[], algo_all_sigs[];
extern const char algo_def_ciphers[], algo_def_macs[], algo_def_kex[];
extern const char algo_def_keys[], algo_def_sigs[];

/*
 * kex_assemble_names(): spec ("+list", "-list", "^list", a pattern
 * list, or NULL for the default) against def and all; -1 if the
 * result would be empty or a pattern is negated.
 */
int	algo_assemble(const char *spec, const char *def, const char *all,
	    char **out);

#endif /* XSSH_ALGOLIST_H */
