-- Security and integrity fixes (issue 9). Each statement is separated by a breakpoint line.
SELECT 1;
