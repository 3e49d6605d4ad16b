//! Time expressions scored on TempEval-3 TimeBank/AQUAINT TIMEX3 annotations (issue 5).
//! (being built)
