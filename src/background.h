/* -f: going to the background after authentication (background.c). */
#ifndef XSSH_BACKGROUND_H
#define XSSH_BACKGROUND_H

struct xerr;

int	background_prepare(struct xerr *);
void	background_detach(void);
void	background_forget(void);

#endif
