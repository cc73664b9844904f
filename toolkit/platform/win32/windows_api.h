// The one place that includes <windows.h> (and the headers that need it), with
// the target version fixed at Vista / Server 2008 so no newer API can slip in.
#pragma once

#if !defined(_WIN32_WINNT) || _WIN32_WINNT != 0x0600
#error "build with -D_WIN32_WINNT=0x0600 -DWINVER=0x0600 (Windows Server 2008)"
#endif

#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#ifndef NOMINMAX
#define NOMINMAX
#endif
#include <windows.h>
