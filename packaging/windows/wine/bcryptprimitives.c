/* For the Wine test only, never packaged: Rust's standard library draws its random numbers from
 * ProcessPrng in bcryptprimitives.dll, which every Windows since 8 has and Debian 12's Wine 8.0
 * lacks. This stand-in answers from RtlGenRandom (advapi32's SystemFunction036), which Wine has.
 * Windows finds it first when it is beside chachong.exe. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk)) return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
