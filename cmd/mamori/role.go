package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"mamori/internal/access"
	"mamori/internal/i18n"
	"mamori/internal/org"
)

// roleCmd lists and assigns the organisation's pack roles from the command line.
func roleCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("role: expected list, assign or end")
	}
	sub, args := args[0], args[1:]
	if sub != "list" && sub != "assign" && sub != "end" {
		return fmt.Errorf("role: unknown subcommand %q", sub)
	}
	fs, d := newFlagSet("role "+sub, stderr)
	roleID := fs.String("role", "", "pack role id (assign)")
	staffNo := fs.String("staff-no", "", "employee number of the holder (assign)")
	actingNo := fs.String("acting-staff-no", "", "employee number of the acting holder (assign)")
	deptCode := fs.String("department", "", "department code, for per-department roles (assign)")
	system := fs.String("system", "", "system, for per-system roles (assign)")
	from := fs.String("from", "", "first day YYYY-MM-DD (assign)")
	to := fs.String("to", "", "last day YYYY-MM-DD (assign; end: default yesterday)")
	id := fs.Int64("id", 0, "assignment id (end)")
	if err := parse(fs, args); err != nil {
		return err
	}
	s, closeDB, err := d.open(ctx)
	if err != nil {
		return err
	}
	defer closeDB()
	sys, err := firstOrgActor(ctx, s)
	if err != nil {
		return err
	}
	today := time.Now().In(i18n.Tokyo).Format(time.DateOnly)
	switch sub {
	case "list":
		hs, err := s.Org.Holdings(ctx, sys, today)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tROLE\tHOLDER\tACTING\tSCOPE\tFROM\tTO\tCURRENT")
		for _, h := range hs {
			scope := h.Scope
			if h.DepartmentName != "" {
				scope += ":" + h.DepartmentName
			}
			if h.SystemRef != "" {
				scope += ":" + h.SystemRef
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%v\n", h.ID, h.RoleID, h.HolderName, h.ActingName, scope, h.ValidFrom, h.ValidTo, h.Current)
		}
		return tw.Flush()
	case "assign":
		in := org.RoleAssignment{RoleID: *roleID, SystemRef: *system, ValidFrom: *from, ValidTo: *to}
		if p, _, err := s.Policy.Active(ctx, sys.OrgID); err == nil {
			if r, ok := p.Role(*roleID); ok {
				in.Scope = r.Scope
			}
		}
		if in.HolderStaffID, err = staffByNumber(ctx, s.Org, sys, *staffNo); err != nil {
			return err
		}
		if *actingNo != "" {
			if in.ActingStaffID, err = staffByNumber(ctx, s.Org, sys, *actingNo); err != nil {
				return err
			}
		}
		if *deptCode != "" {
			tree, err := s.Org.Tree(ctx, sys)
			if err != nil {
				return err
			}
			for _, dp := range tree {
				if dp.Code == *deptCode {
					in.DepartmentID = dp.ID
				}
			}
			if in.DepartmentID == 0 {
				return fmt.Errorf("no department with code %q", *deptCode)
			}
		}
		ra, err := s.Org.AssignRole(ctx, sys, in)
		if err != nil {
			return describe(err)
		}
		fmt.Fprintf(stdout, "assigned %s (assignment %d)\n", ra.RoleID, ra.ID)
	case "end":
		day := *to
		if day == "" {
			day = time.Now().In(i18n.Tokyo).AddDate(0, 0, -1).Format(time.DateOnly)
		}
		if err := s.Org.EndRole(ctx, sys, *id, day); err != nil {
			return describe(err)
		}
		fmt.Fprintf(stdout, "assignment %d ends on %s\n", *id, day)
	}
	return nil
}

// staffByNumber finds a staff member by employee number.
func staffByNumber(ctx context.Context, o *org.Service, who access.Actor, no string) (int64, error) {
	if no == "" {
		return 0, fmt.Errorf("--staff-no is required")
	}
	list, _, err := o.ListStaff(ctx, who, org.StaffFilter{Query: no, Limit: 500})
	if err != nil {
		return 0, err
	}
	for _, st := range list {
		if st.EmployeeNo == no {
			return st.ID, nil
		}
	}
	return 0, fmt.Errorf("no staff member with employee number %q", no)
}
