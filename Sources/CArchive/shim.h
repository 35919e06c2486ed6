#include <archive.h>
#include <archive_entry.h>

// libarchive's AE_IF* macros contain casts, which Swift does not import.
static const unsigned int CArchiveTypeRegular = 0100000;
static const unsigned int CArchiveTypeSymlink = 0120000;
static const unsigned int CArchiveTypeDirectory = 0040000;
static const unsigned int CArchiveTypeCharacter = 0020000;
static const unsigned int CArchiveTypeBlock = 0060000;
static const unsigned int CArchiveTypeFIFO = 0010000;
