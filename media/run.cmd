@echo off
rem run.cmd - start otharden from the USB stick (Windows Server 2008 SP2, x86 or x64).
rem
rem   run.cmd                    same as: run.cmd check
rem   run.cmd COMMAND [ARGS...]  runs bin\<arch>\otharden.exe COMMAND [ARGS...] and
rem                              returns its exit code (0..4, see README.txt)
rem
rem - Works from any drive letter and any current directory: the stick is found from this
rem   file's own location (%~dp0). The current directory is NOT changed, so relative paths
rem   in ARGS are relative to where you are (cd to the stick first, as README.txt says).
rem - Arguments are passed through unchanged (%*). Quote any argument that contains
rem   spaces or cmd's special characters (ampersand, pipe, angle brackets, caret): an
rem   unquoted, escaped one would be parsed again here.
rem - run.cmd itself exits 4 (environment) when: the processor is IA-64 or unknown; the
rem   command changes the host (apply, rollback, recover) and this prompt is not elevated;
rem   the executable for this processor is missing from the stick.
rem - Plain cmd.exe: no delayed expansion (explicitly off, so a "!" in an argument or a
rem   path survives), and no parenthesised blocks (a ")" in a folder name such as
rem   "Program Files (x86)" would end a block early): only single-line IFs and GOTO.
setlocal EnableExtensions DisableDelayedExpansion
rem A variable named ERRORLEVEL would hide the real one: make sure there is none.
set "ERRORLEVEL="

rem --- 1. Which executable -----------------------------------------------------------
rem A 32-bit cmd.exe on x64 Windows sees PROCESSOR_ARCHITECTURE=x86 and
rem PROCESSOR_ARCHITEW6432=AMD64: the host is x64, so the x64 build is used.
set "OTH_ARCH="
if /i "%PROCESSOR_ARCHITECTURE%"=="IA64" goto ia64
if /i "%PROCESSOR_ARCHITEW6432%"=="IA64" goto ia64
if /i "%PROCESSOR_ARCHITECTURE%"=="AMD64" set "OTH_ARCH=x64"
if /i "%PROCESSOR_ARCHITEW6432%"=="AMD64" set "OTH_ARCH=x64"
if defined OTH_ARCH goto arch_known
rem x86 only when nothing says the host is wider.
if defined PROCESSOR_ARCHITEW6432 goto unknown_arch
if /i "%PROCESSOR_ARCHITECTURE%"=="x86" set "OTH_ARCH=x86"
if not defined OTH_ARCH goto unknown_arch
:arch_known
set "OTH_EXE=%~dp0bin\%OTH_ARCH%\otharden.exe"
if not exist "%OTH_EXE%" goto missing_exe

rem --- 2. Elevation, only for the commands that change the host ------------------------
rem check, plan, verify, version, report, keygen, sign, --help and no arguments run
rem unelevated; otharden itself also refuses an unelevated apply/rollback (exit 4).
rem Test: elevated if EITHER probe succeeds; each needs an elevated administrator token,
rem so neither can succeed unelevated (no false "yes"):
rem  - fltmc.exe (Filter Manager control, in System32 since Vista/Server 2008): needs
rem    admin, and the Filter Manager always runs. Tried first because
rem  - "net session" also fails, elevated or not, when the Server service (LanmanServer)
rem    is stopped or disabled - as a lockdown profile may leave it - and then a rollback
rem    would be refused. It is the fallback for a 32-bit cmd.exe on x64, where System32 is
rem    SysWOW64 and may hold no fltmc.exe. (Wine has no fltmc; its "net session" exits 0.)
rem Both are called by full path, never looked up in the current directory or PATH.
set "OTH_ELEVATION=not needed"
if /i "%~1"=="apply" set "OTH_ELEVATION=needed"
if /i "%~1"=="rollback" set "OTH_ELEVATION=needed"
if /i "%~1"=="recover" set "OTH_ELEVATION=needed"
if /i "%~2"=="--help" set "OTH_ELEVATION=not needed"
if /i "%~2"=="-h" set "OTH_ELEVATION=not needed"
if not "%OTH_ELEVATION%"=="needed" goto elevation_done
"%SystemRoot%\System32\fltmc.exe" >nul 2>&1
if %ERRORLEVEL% EQU 0 goto elevated
"%SystemRoot%\System32\net.exe" session >nul 2>&1
if %ERRORLEVEL% EQU 0 goto elevated
goto not_elevated
:elevated
set "OTH_ELEVATION=checked, elevated"
:elevation_done

rem --- 3. Run it ------------------------------------------------------------------------
rem TEST AID (tests/media/run_cmd_test.sh): with OTHARDEN_RUNCMD_DRYRUN=1, print the
rem executable chosen and the elevation result, run nothing, exit 0.
if "%OTHARDEN_RUNCMD_DRYRUN%"=="1" goto dryrun
if [%1]==[] goto default_check
"%OTH_EXE%" %*
exit /b %ERRORLEVEL%

:default_check
"%OTH_EXE%" check
exit /b %ERRORLEVEL%

:dryrun
echo run.cmd dry run (test aid): target %OTH_ARCH%: "%OTH_EXE%"
echo run.cmd dry run (test aid): elevation %OTH_ELEVATION%
exit /b 0

:ia64
>&2 echo run.cmd: this is an Itanium (IA-64) system. otharden supports Windows Server 2008 SP2 on x86 and x64 only. Nothing was run or changed.
exit /b 4

:unknown_arch
>&2 echo run.cmd: unsupported processor architecture: PROCESSOR_ARCHITECTURE="%PROCESSOR_ARCHITECTURE%" PROCESSOR_ARCHITEW6432="%PROCESSOR_ARCHITEW6432%". otharden supports x86 and x64 only. Nothing was run or changed.
exit /b 4

:missing_exe
>&2 echo run.cmd: "%OTH_EXE%" is missing: this stick is incomplete. Use a complete otharden stick. Nothing was run or changed.
exit /b 4

:not_elevated
>&2 echo run.cmd: '%~1' changes this host and needs an elevated administrator, and this Command Prompt is not elevated.
>&2 echo Right-click Command Prompt, choose "Run as administrator", and run it again. Nothing was run or changed.
exit /b 4
