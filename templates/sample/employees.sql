-- The ecmactl sample database (SQLite): the Employees table of Microsoft's tutorial
-- "Provision users into SQL-based applications" (database CONTOSO, table dbo.Employees),
-- with three changes so it works out of the box:
--   * ContosoLogin is NOT NULL UNIQUE, so it can be the anchor (values unique, never changed);
--   * AccountDisabled is the boolean the "Set attribute value" disable flow sets (reversible);
--   * LastModified is kept current by a trigger, so it can serve as a delta-import watermark.
-- Timestamps are UTC text 'YYYY-MM-DD HH:MM:SS.SSS'; they sort in time order.

CREATE TABLE Employees (
    ContosoLogin    VARCHAR(128) NOT NULL UNIQUE,
    FirstName       VARCHAR(50)  NOT NULL,
    LastName        VARCHAR(50)  NOT NULL,
    Email           VARCHAR(128) NULL,
    -- uniqueidentifier DEFAULT newid() in the tutorial: a random (version 4) UUID as text.
    InternalGUID    CHAR(36)     NULL DEFAULT (lower(
                        hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' ||
                        substr(hex(randomblob(2)), 2) || '-' ||
                        substr('89ab', 1 + (abs(random()) % 4), 1) ||
                        substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))),
    AzureID         CHAR(36)     NULL,
    textID          VARCHAR(128) NULL,
    AccountDisabled BOOLEAN      NOT NULL DEFAULT 0 CHECK (AccountDisabled IN (0, 1)),
    LastModified    TIMESTAMP    NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now'))
);

-- Touch LastModified on every update that does not set it itself. Recursive triggers are off
-- in SQLite by default, and the WHEN clause stops a loop even if they are turned on.
CREATE TRIGGER Employees_LastModified
AFTER UPDATE ON Employees
FOR EACH ROW WHEN NEW.LastModified IS OLD.LastModified
BEGIN
    UPDATE Employees
       SET LastModified = strftime('%Y-%m-%d %H:%M:%f', 'now')
     WHERE rowid = NEW.rowid;
END;

INSERT INTO Employees
    (ContosoLogin, FirstName, LastName, Email, InternalGUID, AzureID, textID, AccountDisabled)
VALUES
    ('ljacobson', 'Lola',    'Jacobson', 'ljacobson@contoso.com',
     '0b5c4e52-3f3c-4a8e-9c1d-6f1e2a7b9d01', NULL, 'ljacobson', 0),
    ('avance',    'Adele',   'Vance',    'avance@contoso.com',
     '1d7f3a90-52b8-4c61-8e4f-2b9c0d3e5f12', NULL, 'avance',    0),
    ('mbowen',    'Megan',   'Bowen',    'mbowen@contoso.com',
     '2e8a4b01-63c9-4d72-9f50-3cad1e4f6a23', NULL, 'mbowen',    0),
    ('nwilke',    'Nestor',  'Wilke',    'nwilke@contoso.com',
     '3f9b5c12-74da-4e83-a061-4dbe2f507b34', NULL, 'nwilke',    0),
    ('pgupta',    'Pradeep', 'Gupta',    NULL,
     '40ac6d23-85eb-4f94-b172-5ecf30618c45', NULL, 'pgupta',    1);
