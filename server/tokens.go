package server

import (
	"context"
	"fmt"

	"github.com/techmatch/techmatch/data"
)

// CheckTokenSpec refuses a scientist token without its institution, and
// bindings on roles that have none. A broker token without a broker record
// is allowed (centre staff): it sees contact data of no pairing.
func CheckTokenSpec(spec data.TokenSpec) error {
	switch {
	case spec.Role == data.RoleScientist && spec.Institution == "":
		return data.Errorf(data.EINVALID, "scientist 令牌需要绑定单位：请用 --institution 指定，如 --institution 吉林大学")
	case spec.Role != data.RoleBroker && spec.BrokerID != "":
		return data.Errorf(data.EINVALID, "只有 broker 令牌可以绑定技术经纪人")
	case spec.Role != data.RoleScientist && spec.Institution != "":
		return data.Errorf(data.EINVALID, "只有 scientist 令牌可以绑定单位")
	}
	return nil
}

// CreateBoundToken makes a token after checking its binding (the broker
// must exist when brokers is not nil) and audits it when audit is not nil.
func CreateBoundToken(ctx context.Context, store data.Store, brokers data.BrokerStore, audit data.AuditLog, spec data.TokenSpec) (string, *data.Token, error) {
	if err := CheckTokenSpec(spec); err != nil {
		return "", nil, err
	}
	if spec.BrokerID != "" && brokers != nil {
		if _, err := brokers.Broker(ctx, spec.BrokerID); err != nil {
			return "", nil, err
		}
	}
	secret, tok, err := store.CreateToken(ctx, spec)
	if err != nil {
		return "", nil, err
	}
	if audit != nil {
		detail := fmt.Sprintf("角色 %s，名称 %s", tok.Role, tok.Name)
		if tok.BrokerID != "" {
			detail += "，经纪人 " + tok.BrokerID
		}
		if tok.Institution != "" {
			detail += "，单位 " + tok.Institution
		}
		err := audit.AppendAudit(ctx, data.AuditEntry{Actor: data.Actor{TokenID: "operator", Role: "operator"}, Action: data.AuditTokenCreate,
			Object: "tokens/" + tok.ID, Detail: detail})
		if err != nil {
			return "", nil, fmt.Errorf("audit token: %w", err)
		}
	}
	return secret, tok, nil
}
